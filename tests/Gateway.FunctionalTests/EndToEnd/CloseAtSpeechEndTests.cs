using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.EndToEnd.NativeResultsTests;

namespace Gateway.FunctionalTests.EndToEnd;

/// <summary>
/// <c>Segmenter:CloseAtSpeechEnd</c> through the real gateway and the simulator: with an endpoint silence longer
/// than the fixture's pauses (1.5 s against 1.3-1.4 s), the option off sends the three phrases as one upstream
/// utterance, and on sends one per phrase (each closed at its speech end, the next contiguous with it); the finals
/// recover every word exactly once and in order either way.
/// </summary>
public sealed class CloseAtSpeechEndTests
{
    private static readonly object LongEndpoint = new { segmentation = new { endpoint_silence_ms = 1500 } };

    [Fact(Timeout = 90_000)]
    public async Task Stream_PausesShorterThanTheEndpoint_OnePiecePerPhraseEveryWordOnce()
    {
        var fixture = SpeechFixture.ThreeUtterances;
        await using var on = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Segmenter:CloseAtSpeechEnd"] = "true" });
        await using var off = await TestGateway.StartAsync();

        var split = await StreamFixtureAsync(on, fixture, realTimeFactor: 0, start: LongEndpoint);
        var whole = await StreamFixtureAsync(off, fixture, realTimeFactor: 0, start: LongEndpoint);

        AssertWordsRecovered(fixture, split);
        AssertWordsRecovered(fixture, whole);
        AssertSegmentLifecycles(split);
        AssertSegmentLifecycles(whole);

        // On failure, say what each gateway did: a flake must be diagnosable from one run's output.
        // A segment replayed on a new connection (a retryable upstream failure on a loaded machine) is one more
        // upstream utterance for the same segment, with the same one final (the abandoned one may or may not have
        // completed at the simulator): the count allows at most those.
        var onReplays = await ReplaysAsync(on);
        var offReplays = await ReplaysAsync(off);
        var detail = $"on: {Describe(on, split)}; replays {onReplays}\noff: {Describe(off, whole)}; replays {offReplays}";
        var wholeEnded = whole.Where(m => Type(m) == "speech_ended").ToList();
        Assert.True(wholeEnded.Count == 1 && UtterancesFit(off, 1, offReplays), $"off: expected one segment and one utterance\n{detail}");

        var ended = split.Where(m => Type(m) == "speech_ended").ToList();
        Assert.True(ended.Count == fixture.Spans.Count && UtterancesFit(on, fixture.Spans.Count, onReplays), $"on: expected {fixture.Spans.Count} segments and utterances\n{detail}");
        Assert.All(ended.Take(ended.Count - 1), m => Assert.Equal("speech_end", m.GetProperty("cause").GetString()));
        for (var i = 1; i < ended.Count; i++)
        {
            // Speech resumed within the endpoint silence: the next piece starts exactly where the previous ended.
            Assert.Equal(ended[i - 1].GetProperty("end_ms").GetDouble(), ended[i].GetProperty("start_ms").GetDouble());
        }

        // The pieces cover exactly the unsplit segment's audio.
        Assert.Equal(wholeEnded[0].GetProperty("start_ms").GetDouble(), ended[0].GetProperty("start_ms").GetDouble());
        Assert.Equal(wholeEnded[0].GetProperty("end_ms").GetDouble(), ended[^1].GetProperty("end_ms").GetDouble());
        Assert.Empty(on.Simulator.Stats.Violations);
        Assert.Equal(0L, on.Simulator.Stats.WatermarkSequenceRegressions);
    }

    /// <summary>One completed upstream utterance per segment, plus at most one per replay.</summary>
    private static bool UtterancesFit(TestGateway gateway, int segments, long replays) =>
        gateway.Simulator.Stats.UtterancesCompleted >= segments && gateway.Simulator.Stats.UtterancesCompleted <= segments + replays;

    /// <summary>Segments the gateway replayed on a new upstream connection, summed over their causes.</summary>
    private static async Task<long> ReplaysAsync(TestGateway gateway)
    {
        var metrics = await gateway.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith("gateway_dispatch_replays_total", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The simulator's utterance counts and the session's segment events and finals, in order.</summary>
    private static string Describe(TestGateway gateway, List<JsonElement> messages) =>
        $"utterances {gateway.Simulator.Stats.UtterancesCompleted} completed / {gateway.Simulator.Stats.UtterancesStarted} started on {gateway.Simulator.Stats.ConnectionsOpened} connections; "
        + string.Join(", ", messages.Where(m => Type(m) is "speech_started" or "speech_ended" or "final" or "error").Select(m => m.GetRawText()));
}
