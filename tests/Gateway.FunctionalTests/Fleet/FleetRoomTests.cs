using System.Net.WebSockets;
using Gateway.Core.Rooms;
using Gateway.FunctionalTests.EndToEnd;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.FunctionalTests.Rooms.RoomApi;

namespace Gateway.FunctionalTests.Fleet;

/// <summary>Two real gateways on one real redis-server: a room spoken into on one is followed on the other (docs/scale-out.md §2).</summary>
public sealed class FleetRoomTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact(Timeout = 120_000)]
    public async Task Room_SpeakerOnAViewerOnB_TheViewerSeesEveryFinalInOrderAndALateViewerGetsTheHistoryAfterALeaves()
    {
        var a = await TestGateway.StartAsync(Fleet("a"));
        await using var b = await TestGateway.StartAsync(Fleet("b"));
        List<System.Text.Json.JsonElement> own;
        RoomViewerClient onB;
        await using (a)
        {
            var speaking = NativeResultsTests.StreamFixtureAsync(a, SpeechFixture.Tagged("a"), realTimeFactor: 2, query: Participant("fleet", "Alice"));
            var busOnB = b.Services.GetRequiredService<IRoomBus>();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (busOnB.LastSequence("fleet") == 0)
            {
                await Task.Delay(20, deadline.Token); // Alice's participant_joined reached Redis
            }

            onB = await RoomViewerClient.WebSocketAsync(b, "fleet");
            own = await speaking.WaitAsync(TimeSpan.FromSeconds(60));
            var expected = own.Where(m => Type(m) == "final").Select(m => m.GetProperty("text").GetString()).ToList();
            Assert.NotEmpty(expected);
            await onB.WaitUntilAsync(m => m.Count(x => Type(x) == "final") >= expected.Count && m.Any(x => Type(x) == "participant_left"), TimeSpan.FromSeconds(30), $"{expected.Count} finals from gateway a");
            Assert.Equal(expected, onB.OfType("final").Select(f => f.GetProperty("text").GetString()));
            Assert.All(onB.OfType("final"), f => Assert.Equal("Alice", f.GetProperty("speaker").GetString()));
            var sequences = onB.Messages.Where(m => m.TryGetProperty("seq", out _) && Type(m) != "room" && Type(m) != "history_end").Select(m => m.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(sequences.Order().Distinct(), sequences);
        }

        // Gateway a is gone; the room is not: a new viewer on b gets every final from Redis's history.
        await using (onB)
        {
            await using var late = await RoomViewerClient.WebSocketAsync(b, "fleet");
            await late.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), TimeSpan.FromSeconds(30), "the history");
            Assert.Equal(
                own.Where(m => Type(m) == "final").Select(m => m.GetProperty("text").GetString()),
                late.OfType("final").Select(f => f.GetProperty("text").GetString()));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Room_RedisDown_AViewerIsRefusedWith1013AndReadinessSaysDegraded()
    {
        await using var gateway = await TestGateway.StartAsync(Fleet("a"));
        await _redis.KillAsync();

        await using var viewer = await RoomViewerClient.WebSocketAsync(gateway, "somewhere");
        await viewer.WaitForEndAsync(TimeSpan.FromSeconds(30));
        var error = Assert.Single(viewer.OfType("error"));
        Assert.Equal("room_state_unavailable", error.GetProperty("code").GetString());
        Assert.Equal((WebSocketCloseStatus)1013, viewer.CloseStatus);

        using var http = new HttpClient { BaseAddress = gateway.Http };
        var ready = await http.GetStringAsync("/readyz");
        Assert.Contains("redis: Degraded - unreachable", ready);
    }

    private Dictionary<string, string?> Fleet(string instance) => new()
    {
        ["Redis:Configuration"] = _redis.Configuration,
        ["Gateway:InstanceId"] = instance,
    };
}
