using System.Net.WebSockets;
using Gateway.Core.Redis;
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
            while (await busOnB.LastSequenceAsync("fleet") == 0)
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

    [Fact(Timeout = 120_000)]
    public async Task Room_TheSpeakersGatewayLetsGoOfTheRoom_TheViewersGatewayKeepsItsHistoryAndSequence()
    {
        // Rooms:IdleExpiry 0: a forgets the room the moment Alice leaves (Remove), while b's viewer still holds it.
        await using var a = await TestGateway.StartAsync(new Dictionary<string, string?>(Fleet("a")) { ["Rooms:IdleExpiry"] = "00:00:00" });
        await using var b = await TestGateway.StartAsync(Fleet("b"));
        var aliceTask = NativeResultsTests.StreamFixtureAsync(a, SpeechFixture.Tagged("a"), realTimeFactor: 2, query: Participant("kept", "Alice"));
        var busOnB = b.Services.GetRequiredService<IRoomBus>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await busOnB.LastSequenceAsync("kept") == 0)
        {
            await Task.Delay(20, deadline.Token);
        }

        await using var onB = await RoomViewerClient.WebSocketAsync(b, "kept");
        var alice = Finals(await aliceTask.WaitAsync(TimeSpan.FromSeconds(60)));
        var registryOnA = a.Services.GetRequiredService<RoomRegistry>();
        while (registryOnA.Find("kept") is not null)
        {
            await Task.Delay(20, deadline.Token); // a's room expired: a let go of it in Redis
        }

        var bob = Finals(await NativeResultsTests.StreamFixtureAsync(b, SpeechFixture.Tagged("b"), realTimeFactor: 2, query: Participant("kept", "Bob")).WaitAsync(TimeSpan.FromSeconds(60)));
        await onB.WaitUntilAsync(m => m.Count(x => Type(x) == "participant_left") >= 2, TimeSpan.FromSeconds(30), "Bob leaving");

        await using var late = await RoomViewerClient.WebSocketAsync(b, "kept");
        await late.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), TimeSpan.FromSeconds(30), "the history");
        var history = late.OfType("final").Select(f => (Speaker: f.GetProperty("speaker").GetString(), Text: f.GetProperty("text").GetString(), Seq: f.GetProperty("seq").GetInt64())).ToList();
        Assert.Equal(alice, history.Where(f => f.Speaker == "Alice").OrderBy(f => f.Seq).Select(f => f.Text));
        Assert.Equal(bob, history.Where(f => f.Speaker == "Bob").OrderBy(f => f.Seq).Select(f => f.Text));
        // One numbering: Bob's events continue after Alice's, not from 1 again.
        Assert.True(history.Where(f => f.Speaker == "Bob").Min(f => f.Seq) > history.Where(f => f.Speaker == "Alice").Max(f => f.Seq));
    }

    [Fact(Timeout = 120_000)]
    public async Task Participant_SpeakerNameSeatedOnAnotherGateway_SpeakerTakenWith4009UntilItLeaves()
    {
        await using var a = await TestGateway.StartAsync(Fleet("a"));
        await using var b = await TestGateway.StartAsync(Fleet("b"));
        // The liveness key that room membership and names rely on is written without fleet admission too.
        Assert.True(await a.Services.GetRequiredService<RedisConnection>().Database.KeyExistsAsync("gateway:instance:a"));

        var aliceTask = NativeResultsTests.StreamFixtureAsync(a, SpeechFixture.Tagged("a"), realTimeFactor: 2, query: Participant("names", "Alice"));
        var busOnB = b.Services.GetRequiredService<IRoomBus>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await busOnB.LastSequenceAsync("names") == 0)
        {
            await Task.Delay(20, deadline.Token); // Alice is seated (her name was claimed before her join was published)
        }

        await using (var impostor = await StreamClient.ConnectAsync(b.Stream(query: Participant("names", "ALICE"))))
        {
            await impostor.SendJsonAsync(new { type = "start" });
            var error = await impostor.ReceiveAsync();
            Assert.Equal("speaker_taken", error.GetProperty("code").GetString());
            Assert.Contains("on another gateway", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Null(await impostor.ReceiveOrCloseAsync());
            Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.SpeakerTaken, impostor.CloseStatus);
        }

        // Alice was not disturbed, and once she has left the name is free on b.
        Assert.NotEmpty(Finals(await aliceTask.WaitAsync(TimeSpan.FromSeconds(60))));
        while (true)
        {
            await using var again = await StreamClient.ConnectAsync(b.Stream(query: Participant("names", "alice")));
            await again.SendJsonAsync(new { type = "start" });
            var answer = await again.ReceiveAsync();
            if (Type(answer) == "ready")
            {
                break;
            }

            Assert.Equal("speaker_taken", answer.GetProperty("code").GetString()); // the release is on its way
            await Task.Delay(50, deadline.Token);
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

    private static List<string?> Finals(List<System.Text.Json.JsonElement> own) =>
        own.Where(m => Type(m) == "final").Select(m => m.GetProperty("text").GetString()).ToList();

    private Dictionary<string, string?> Fleet(string instance) => new()
    {
        ["Redis:Configuration"] = _redis.Configuration,
        ["Gateway:InstanceId"] = instance,
    };
}
