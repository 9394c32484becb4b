using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Core.Rooms;
using Gateway.FunctionalTests.Compat;
using Gateway.FunctionalTests.EndToEnd;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.FunctionalTests.Rooms.RoomApi;

namespace Gateway.FunctionalTests.Rooms;

/// <summary>Every bad room input of docs/rooms.md §6: a clear message, its documented code, counted, nobody else affected.</summary>
public sealed class RoomBadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 60_000)]
    public async Task Viewer_UnknownRoom_WebSocketGetsRoomNotFoundAnd4004_HttpGets404()
    {
        await using var gateway = await TestGateway.StartAsync();

        await using var viewer = await RoomViewerClient.WebSocketAsync(gateway, "nowhere");
        await viewer.WaitForEndAsync(Timeout);
        var error = Assert.Single(viewer.Messages);
        Assert.Equal("room_not_found", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("fatal").GetBoolean());
        Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.RoomNotFound, viewer.CloseStatus);

        foreach (var path in new[] { "/v1/rooms/nowhere/events", "/v1/rooms/nowhere", "/v1/rooms/nowhere/transcript?format=srt" })
        {
            var (status, body, _) = await GetAsync(gateway, path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("room_not_found", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        }

        await Metrics.WaitForAsync(gateway, "gateway_rooms_errors_total{code=\"room_not_found\"} 4\n");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("?room=standup&speaker=", "invalid_speaker", "a participant needs a speaker name")]
    [InlineData("?room=standup&speaker=%20Alice", "invalid_speaker", "leading, trailing or double space")]
    [InlineData("?room=standup&speaker=Al%3Cscript%3E", "invalid_speaker", "not allowed (U+003C)")]
    [InlineData("?room=standup&speaker=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid_speaker", "longer than 32 characters")]
    [InlineData("?room=stand%20up&speaker=Alice", "invalid_room", "invalid room name")]
    [InlineData("?speaker=Alice", "invalid_room", "speaker is set but room is not")]
    public async Task Participant_InvalidName_FatalErrorWith4013(string query, string code, string message)
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream(query: query));
        await client.SendJsonAsync(new { type = "start" });

        var error = await client.ReceiveAsync();
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await client.ReceiveOrCloseAsync());
        Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.InvalidName, client.CloseStatus);
        await Metrics.WaitForAsync(gateway, $"gateway_rooms_errors_total{{code=\"{code}\"}} 1\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Participant_DuplicateSpeakerIgnoringCase_SpeakerTakenWith4009_FirstKeepsStreaming()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var viewer = await StartRoomWithViewerAsync(gateway, new { name = "standup" });
        await using var alice = await StreamClient.ConnectAsync(gateway.Stream(query: Participant("standup", "Alice")));
        await alice.StartAsync();

        // In the start message this time: the same rule.
        await using var second = await StreamClient.ConnectAsync(gateway.Stream());
        await second.SendJsonAsync(new { type = "start", room = "standup", speaker = "ALICE" });
        var error = await second.ReceiveAsync();
        Assert.Equal("speaker_taken", error.GetProperty("code").GetString());
        Assert.Contains("already in use", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await second.ReceiveOrCloseAsync());
        Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.SpeakerTaken, second.CloseStatus);

        await AssertStillTranscribesAsync(alice, viewer, "Alice");
        await Metrics.WaitForAsync(gateway, "gateway_rooms_errors_total{code=\"speaker_taken\"} 1\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Participant_RoomFull_RoomFullWith4010()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var viewer = await StartRoomWithViewerAsync(gateway, new { name = "duo", max_participants = 1 });
        await using var alice = await StreamClient.ConnectAsync(gateway.Stream(query: Participant("duo", "Alice")));
        await alice.StartAsync();

        await using var bob = await StreamClient.ConnectAsync(gateway.Stream(query: Participant("duo", "Bob")));
        await bob.SendJsonAsync(new { type = "start" });
        var error = await bob.ReceiveAsync();
        Assert.Equal("room_full", error.GetProperty("code").GetString());
        Assert.Contains("is full (1 participants)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await bob.ReceiveOrCloseAsync());
        Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.RoomFull, bob.CloseStatus);

        await AssertStillTranscribesAsync(alice, viewer, "Alice");
        await Metrics.WaitForAsync(gateway, "gateway_rooms_errors_total{code=\"room_full\"} 1\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Viewer_LimitReached_WebSocketGetsViewerLimitAnd4011_SseGets503()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var first = await StartRoomWithViewerAsync(gateway, new { name = "small", max_viewers = 1 });

        await using var second = await RoomViewerClient.WebSocketAsync(gateway, "small");
        await second.WaitForEndAsync(Timeout);
        Assert.Equal("viewer_limit", Assert.Single(second.Messages).GetProperty("code").GetString());
        Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.ViewerLimit, second.CloseStatus);
        var (status, body, _) = await GetAsync(gateway, "/v1/rooms/small/events");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("maximum of 1 viewers", body, StringComparison.Ordinal);

        Assert.False(first.Ended);
        await Metrics.WaitForAsync(gateway, "gateway_rooms_errors_total{code=\"viewer_limit\"} 2\n");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("abc", "must be a room event number")]
    [InlineData("-1", "must be a room event number")]
    [InlineData("99999", "is ahead of room \"standup\"")]
    public async Task Sse_MalformedLastEventId_400(string lastEventId, string message)
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var viewer = await StartRoomWithViewerAsync(gateway, new { name = "standup" });

        var (status, body, _) = await GetAsync(gateway, "/v1/rooms/standup/events", lastEventId);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("invalid_last_event_id", problem.GetProperty("error").GetString());
        Assert.Contains(message, problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(viewer.Ended);
        await Metrics.WaitForAsync(gateway, "gateway_rooms_errors_total{code=\"invalid_last_event_id\"} 1\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Sse_LastEventId_ResumesWithTheRetainedEventsAfterIt()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var viewer = await StartRoomWithViewerAsync(gateway, new { name = "standup" });
        var registry = gateway.Services.GetRequiredService<RoomRegistry>();
        var room = registry.Find("standup")!;
        for (var i = 1; i <= 6; i++)
        {
            registry.Publish(room, new RoomEventData(RoomEventKind.Final, "Alice", i, i, i * 1000, i * 1000 + 500, $"line {i}"));
        }

        await viewer.WaitUntilAsync(m => m.Count(x => Type(x) == "final") == 6, Timeout, "six finals");
        var ids = viewer.Ids.Where(id => id is not null).ToList();

        await using var resumed = await RoomViewerClient.EventStreamAsync(gateway, "standup", lastEventId: ids[3]);
        await resumed.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), Timeout, "the replay");

        Assert.True(resumed.Messages[0].GetProperty("resumed").GetBoolean());
        Assert.Equal(["line 5", "line 6"], resumed.OfType("final").Select(f => f.GetProperty("text").GetString()!));
        Assert.Equal(ids.Skip(4), resumed.Ids.Where(id => id is not null));
    }

    [Fact(Timeout = 60_000)]
    public async Task Sse_ClientThatNeverReads_IsDroppedAsSlowViewer_SpeakersAndOtherViewersUnaffected()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Rooms:ViewerQueueCapacity"] = "8" });
        await using var reader = await StartRoomWithViewerAsync(gateway, new { name = "standup" });

        // A raw HTTP client with a tiny receive window that never reads a byte of the response.
        using var stuck = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stuck.ConnectAsync(IPAddress.Loopback, gateway.Http.Port);
        await stuck.SendAsync(Encoding.ASCII.GetBytes($"GET /v1/rooms/standup/events HTTP/1.1\r\nHost: 127.0.0.1:{gateway.Http.Port}\r\n\r\n"));
        var registry = gateway.Services.GetRequiredService<RoomRegistry>();
        var room = registry.Find("standup")!;
        await WaitAsync(() => room.Snapshot(0).Viewers == 2, "the second viewer");

        // Enough to fill the socket buffers and Kestrel's response pipe, then the 8-event queue; paced so the
        // reading viewer (same queue size) keeps up, as a live meeting's viewers do.
        var text = new string('x', 16 * 1024);
        const int Count = 1000;
        for (var i = 1; i <= Count; i++)
        {
            registry.Publish(room, new RoomEventData(RoomEventKind.Final, "Alice", i, i, i, i + 1, text));
            while (reader.OfType("final").Count < i - 4)
            {
                Assert.False(reader.Ended, "the reading viewer was dropped");
                await Task.Delay(1);
            }
        }

        await WaitAsync(() => room.Snapshot(0).Viewers == 1, "the stuck viewer to be dropped");
        await reader.WaitUntilAsync(m => m.Count(x => Type(x) == "final") == Count, Timeout, $"{Count} finals at the reading viewer");
        Assert.False(reader.Ended);
        await Metrics.WaitForAsync(gateway, "gateway_rooms_dropped_viewers_total 1\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Create_BadSettingsOrExistingName_400And409()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Rooms:MaxParticipants"] = "8" });

        var (status, body) = await CreateAsync(gateway, new { name = "r1", max_participants = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("max_participants must be between 1 and 8 (was 9)", body.GetProperty("message").GetString());
        Assert.Equal("unknown field \"colour\"", (await CreateAsync(gateway, new { colour = "red" })).Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(gateway, new { name = "r1" })).Status);
        var again = await CreateAsync(gateway, new { name = "r1" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("room_exists", again.Body.GetProperty("error").GetString());
        var format = await GetAsync(gateway, "/v1/rooms/r1/transcript?format=doc");
        Assert.Equal(HttpStatusCode.BadRequest, format.Status);
        Assert.Contains("use json, srt, vtt, txt", format.Body, StringComparison.Ordinal);
    }

    private static async Task<RoomViewerClient> StartRoomWithViewerAsync(TestGateway gateway, object settings)
    {
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(gateway, settings)).Status);
        var name = JsonSerializer.SerializeToElement(settings).GetProperty("name").GetString()!;
        var viewer = await RoomViewerClient.EventStreamAsync(gateway, name);
        await viewer.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), Timeout, "the welcome");
        return viewer;
    }

    /// <summary>The participant that was there first still gets its words to the room.</summary>
    private static async Task AssertStillTranscribesAsync(StreamClient participant, RoomViewerClient viewer, string speaker)
    {
        var bytes = SpeechFixture.ThreeUtterances.Pcm16Bytes;
        for (var offset = 0; offset < bytes.Length; offset += 3200)
        {
            await participant.SendAudioAsync(bytes.AsMemory(offset, Math.Min(3200, bytes.Length - offset)));
        }

        await participant.SendJsonAsync(new { type = "close" });
        var own = await participant.ReceiveUntilClosedAsync().WaitAsync(Timeout);
        NativeResultsTests.AssertWordsRecovered(SpeechFixture.ThreeUtterances, own);
        await viewer.WaitUntilAsync(m => m.Count(x => Type(x) == "final" && x.GetProperty("speaker").GetString() == speaker) == own.Count(x => Type(x) == "final"), Timeout, "the participant's finals");
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Timeout, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
