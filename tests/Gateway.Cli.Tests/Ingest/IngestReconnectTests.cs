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

        await api.DeleteAsync(id);
    }

    private static double Ms(string t) => TimeSpan.Parse(t, System.Globalization.CultureInfo.InvariantCulture).TotalMilliseconds;

    [GeneratedRegex(@"\d+\n(?<a>\d\d:\d\d:\d\d\.\d{3}) --> [\d:.]+\n(?<t>[^\n]+)")]
    private static partial Regex Cues();
}
