using System.Net;
using System.Text.Json;
using Gateway.FunctionalTests.EndToEnd;
using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.Rooms.RoomApi;

namespace Gateway.FunctionalTests.Rooms;

/// <summary>
/// A meeting through the real pipeline: three participants stream different (watermarked) speech at once into one
/// room, five viewers follow it over WebSocket and SSE, one of them joining late; the simulator is the upstream.
/// </summary>
public sealed class RoomMeetingTests
{
    private static readonly (string Speaker, string Tag)[] Speakers = [("Alice", "a"), ("Bob", "b"), ("Chloé", "c")];

    [Fact(Timeout = 120_000)]
    public async Task Meeting_ThreeOverlappingSpeakersFiveViewers_EveryViewerSeesEveryWordOnceLabelledInSpeechOrder()
    {
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(gateway, new { name = "standup" })).Status);
        var early = new List<RoomViewerClient>
        {
            await RoomViewerClient.WebSocketAsync(gateway, "standup"),
            await RoomViewerClient.WebSocketAsync(gateway, "standup"),
            await RoomViewerClient.EventStreamAsync(gateway, "standup"),
            await RoomViewerClient.EventStreamAsync(gateway, "standup"),
        };
        await using var cleanup = new Viewers([.. early]);

        // Staggered by 300 ms of wall time at 2x real time: every utterance overlaps the other speakers'.
        var streams = Speakers.Select(async (s, i) =>
        {
            await Task.Delay(300 * i);
            return await NativeResultsTests.StreamFixtureAsync(gateway, SpeechFixture.Tagged(s.Tag), realTimeFactor: 2, query: Participant("standup", s.Speaker));
        }).ToList();

        await early[0].WaitUntilAsync(m => m.Any(x => Type(x) == "final"), TimeSpan.FromSeconds(30), "a first final");
        var late = await RoomViewerClient.WebSocketAsync(gateway, "standup");
        cleanup.Add(late);
        var own = await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60));

        var expected = own.Sum(messages => messages.Count(m => Type(m) == "final"));
        var viewers = early.Append(late).ToList();
        foreach (var viewer in viewers)
        {
            await viewer.WaitUntilAsync(m => m.Count(x => Type(x) == "final") >= expected && m.Count(x => Type(x) == "participant_left") >= (viewer == late ? 0 : 3), TimeSpan.FromSeconds(30), $"{expected} finals");
        }

        var reference = Sorted(early[0].OfType("final"));
        for (var s = 0; s < Speakers.Length; s++)
        {
            // The participant's own finals and the room's agree, word for word, and every word is this speaker's.
            var (speaker, tag) = Speakers[s];
            var mine = reference.Where(f => f.GetProperty("speaker").GetString() == speaker).ToList();
            Assert.Equal(SpeechFixture.Tagged(tag).Words, mine.SelectMany(Words).ToList());
            Assert.Equal(own[s].Where(m => Type(m) == "final").Select(m => m.GetProperty("text").GetString()), mine.Select(m => m.GetProperty("text").GetString()));
            Assert.Equal(own[s].Where(m => Type(m) == "final").Select(m => m.GetProperty("segment_id").GetInt64()), mine.Select(m => m.GetProperty("session_segment_id").GetInt64()));
        }

        foreach (var viewer in viewers)
        {
            var finals = viewer.OfType("final");
            Assert.Equal(expected, finals.Count);
            Assert.Equal(expected, finals.Select(f => f.GetProperty("segment_id").GetInt64()).Distinct().Count()); // each exactly once
            Assert.Equal(Keys(reference), Keys(Sorted(finals)));
            // Live events of one speaker arrive in speech order.
            foreach (var (speaker, _) in Speakers)
            {
                var starts = finals.Where(f => f.GetProperty("speaker").GetString() == speaker).Select(f => f.GetProperty("start_ms").GetDouble()).ToList();
                Assert.Equal(starts.Order().ToList(), starts);
            }
        }

        // Speech overlapped on the room's clock: some final of one speaker overlaps another speaker's.
        Assert.Contains(reference, a => reference.Any(b => b.GetProperty("speaker").GetString() != a.GetProperty("speaker").GetString()
            && b.GetProperty("start_ms").GetDouble() < a.GetProperty("end_ms").GetDouble() && a.GetProperty("start_ms").GetDouble() < b.GetProperty("end_ms").GetDouble()));

        // The late viewer: the room, then the finals so far in speech order, then history_end, then live.
        var messages = late.Messages;
        Assert.Equal("room", Type(messages[0]));
        var end = messages.FindIndex(m => Type(m) == "history_end");
        var history = messages.Skip(1).Take(end - 1).ToList();
        Assert.NotEmpty(history);
        Assert.All(history, m => Assert.Equal("final", Type(m)));
        var cut = messages[end].GetProperty("seq").GetInt64();
        Assert.Equal(Keys(reference.Where(f => f.GetProperty("seq").GetInt64() <= cut)), Keys(history));
        Assert.All(messages.Skip(end + 1), m => Assert.True(m.GetProperty("seq").GetInt64() > cut));

        // SSE ids are the room's sequence numbers.
        var sse = early[2];
        var ids = sse.Ids.Zip(sse.Messages).Where(p => p.Second.TryGetProperty("seq", out _) && Type(p.Second) is not ("room" or "history_end")).ToList();
        Assert.All(ids, p => Assert.Equal(p.Second.GetProperty("seq").GetInt64(), p.First));

        // The transcript is what the viewers saw.
        var (status, body, _) = await GetAsync(gateway, "/v1/rooms/standup/transcript?format=json");
        Assert.Equal(HttpStatusCode.OK, status);
        var segments = JsonDocument.Parse(body).RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(Keys(reference), Keys(segments));
        var vtt = (await GetAsync(gateway, "/v1/rooms/standup/transcript?format=vtt")).Body;
        Assert.StartsWith("WEBVTT\n\n1\n", vtt, StringComparison.Ordinal);
        Assert.Equal(expected, vtt.Split("\n<v ").Length - 1);
        Assert.Contains("<v Chloé>c", vtt, StringComparison.Ordinal);
        var srt = (await GetAsync(gateway, "/v1/rooms/standup/transcript?format=srt")).Body;
        Assert.Equal(reference.Select(f => $"{f.GetProperty("speaker").GetString()}: {f.GetProperty("text").GetString()}"), srt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split('\n')[2]));

        var details = JsonDocument.Parse((await GetAsync(gateway, "/v1/rooms/standup")).Body).RootElement;
        Assert.Equal(expected, details.GetProperty("segments").GetInt64());
        Assert.Equal(5, details.GetProperty("viewers").GetInt32());
        Assert.Equal(0, details.GetProperty("participants").GetArrayLength());
        Assert.Equal(expected, details.GetProperty("caption_latency_ms").GetProperty("count").GetInt32());
    }

    /// <summary>Speech-start order, then room sequence: the order of the transcript and of a late viewer's history.</summary>
    private static List<JsonElement> Sorted(IEnumerable<JsonElement> finals) =>
        [.. finals.OrderBy(f => f.GetProperty("start_ms").GetDouble()).ThenBy(f => f.GetProperty("seq").GetInt64())];

    private static List<string> Keys(IEnumerable<JsonElement> finals) =>
        [.. finals.Select(f => $"{f.GetProperty("speaker").GetString()}#{f.GetProperty("segment_id").GetInt64()}@{f.GetProperty("start_ms").GetDouble()}:{f.GetProperty("text").GetString()}")];

    private sealed class Viewers(List<RoomViewerClient> viewers) : IAsyncDisposable
    {
        public void Add(RoomViewerClient viewer) => viewers.Add(viewer);

        public async ValueTask DisposeAsync()
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }
}
