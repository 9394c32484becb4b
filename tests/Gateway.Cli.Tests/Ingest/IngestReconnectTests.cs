using System.Text.RegularExpressions;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>A live source that drops and comes back: the ingest reconnects, the clock stays continuous, the gap is marked, nothing said while up is lost.</summary>
public sealed partial class IngestReconnectTests
{
    /// <summary>The fixture's first utterance ("The quick brown fox jumps over the dog") with its words tagged, and a little silence.</summary>
    private static short[] FirstUtterance(string tag) => SpeechFixture.Tagged(tag).Samples[..56_000];

    [Fact(Timeout = 60_000)]
    public async Task Ingest_SourceDownFor5SecondsThenBack_ReconnectsWithGapMarkedAndEveryWordSpokenWhileUp()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(IngestSourceTests.Loopback) { ["Ingests:MaxAttempts"] = "0" });
        using var api = new IngestApi(gateway.Http);
        await using var source = await LiveWavSource.StartAsync(FirstUtterance("a"));

        var id = await api.CreateAsync(new { url = source.Url.ToString(), room = "radio" });
        await using var socketViewer = await RoomViewerClient.WebSocketAsync(gateway, "radio");
        await using var sseViewer = await RoomViewerClient.EventStreamAsync(gateway, "radio");
        await api.WaitAsync(id, i => IngestApi.Finals(i) >= 1, TimeSpan.FromSeconds(20));

        source.Down();
        var down = await api.WaitAsync(id, i => IngestApi.State(i) == "reconnecting", TimeSpan.FromSeconds(15));
        Assert.NotNull(down.GetProperty("last_error").GetProperty("message").GetString());
        await Task.Delay(TimeSpan.FromSeconds(5)); // the outage itself: the scenario, not a synchronisation
        source.Up(FirstUtterance("b"));
        var back = await api.WaitAsync(id, i => IngestApi.State(i) == "running" && IngestApi.Finals(i) >= 2, TimeSpan.FromSeconds(20));

        Assert.True(back.GetProperty("restarts").GetInt32() >= 1, back.ToString());
        var gap = Assert.Single(back.GetProperty("gaps").EnumerateArray());
        var gapMs = gap.GetProperty("end_ms").GetDouble() - gap.GetProperty("start_ms").GetDouble();
        Assert.InRange(gapMs, 4500, 15_000);
        var vtt = await api.TextAsync($"/v1/ingests/{id}/captions.vtt");
        Assert.Matches(@"NOTE source lost from \d\d:\d\d:\d\d\.\d{3} to \d\d:\d\d:\d\d\.\d{3}", vtt);
        var cues = Cues().Matches(vtt).Select(m => (Start: Ms(m.Groups["a"].Value), Text: m.Groups["t"].Value)).ToList();
        Assert.Equal(2, cues.Count);
        Assert.Equal("aThe aquick abrown afox ajumps aover athe adog.", cues[0].Text);
        Assert.Equal("bThe bquick bbrown bfox bjumps bover bthe bdog.", cues[1].Text);
        // One clock: the second program's speech starts after the gap, where it was on the wall clock.
        Assert.True(cues[1].Start >= gap.GetProperty("end_ms").GetDouble(), vtt);
        Assert.InRange(cues[0].Start, 250, 1000);

        // The room's viewers are told too, on both transports: the source went, then came back, with the gap's span.
        foreach (var viewer in (RoomViewerClient[])[socketViewer, sseViewer])
        {
            await viewer.WaitUntilAsync(m => m.Count(IsFinal) >= 2, TimeSpan.FromSeconds(10), "both finals");
            var events = viewer.Messages.Where(m => m.GetProperty("type").GetString() is "source_lost" or "source_restored" or "final").ToList();
            Assert.Equal(["final", "source_lost", "source_restored", "final"], events.Select(m => m.GetProperty("type").GetString()));
            var (lost, restored) = (events[1], events[2]);
            Assert.Equal("source", lost.GetProperty("speaker").GetString());
            Assert.Equal(down.GetProperty("last_error").GetProperty("message").GetString(), lost.GetProperty("message").GetString());
            Assert.Equal(lost.GetProperty("at_ms").GetDouble(), restored.GetProperty("start_ms").GetDouble());
            Assert.Equal(gapMs, restored.GetProperty("end_ms").GetDouble() - restored.GetProperty("start_ms").GetDouble(), 1.0);
            Assert.True(events[0].GetProperty("end_ms").GetDouble() <= lost.GetProperty("at_ms").GetDouble(), string.Join('\n', events));
            Assert.True(events[3].GetProperty("start_ms").GetDouble() >= restored.GetProperty("end_ms").GetDouble(), string.Join('\n', events));
        }

        var sseIds = sseViewer.Messages.Zip(sseViewer.Ids).Where(p => p.First.GetProperty("type").GetString() == "source_restored").Select(p => p.Second).Single();
        Assert.Equal(sseViewer.OfType("source_restored")[0].GetProperty("seq").GetInt64(), sseIds);
        await api.DeleteAsync(id);
    }

    private static bool IsFinal(System.Text.Json.JsonElement m) => m.GetProperty("type").GetString() == "final";

    private static double Ms(string t) => TimeSpan.Parse(t, System.Globalization.CultureInfo.InvariantCulture).TotalMilliseconds;

    [GeneratedRegex(@"\d+\n(?<a>\d\d:\d\d:\d\d\.\d{3}) --> [\d:.]+\n(?<t>[^\n]+)")]
    private static partial Regex Cues();
}
