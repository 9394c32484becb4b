using System.Net.WebSockets;
using Gateway.Load.Audio;
using Gateway.Load.Metrics;
using Gateway.Load.Report;
using Gateway.Load.Resume;

namespace Gateway.Load.Streams;

/// <summary>N concurrent real-time streams through the native endpoint, analysed together.</summary>
internal static class StreamLoad
{
    /// <param name="upstreamProcessingMs">The upstream's own time from end of audio to final (the simulator's final latency), subtracted for the overhead.</param>
    public static async Task<StreamReport> RunAsync(
        Uri streamUrl, int streams, StreamSettings settings, SpeechFixture fixture, double upstreamProcessingMs,
        MetricsMonitor? metrics, CancellationToken token, ResetSchedule? resets = null)
    {
        if (metrics is not null)
        {
            await metrics.StartAsync(token);
        }

        var resumes = resets is null ? null : new ResumeStats();
        using var stopResets = CancellationTokenSource.CreateLinkedTokenSource(token);
        var resetting = resets?.RunAsync(stopResets.Token) ?? Task.CompletedTask;
        var runner = new StreamRunner(streamUrl, fixture, settings, resets, resumes);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, streams).Select(i => Task.Run(() => runner.RunAsync(i, streams, token), token)));
        stopResets.Cancel();
        await resetting;
        var gateway = metrics is null ? null : await metrics.StopAsync(token);
        var report = Summarise(outcomes, settings, upstreamProcessingMs, gateway);
        return resumes is null ? report : report with { Resume = resumes.Report(report.DuplicatedFinals) };
    }

    public static StreamReport Summarise(IReadOnlyList<StreamOutcome> outcomes, StreamSettings settings, double upstreamProcessingMs, GatewayReport? gateway)
    {
        var analyses = outcomes.Select(StreamAnalysis.Of).ToList();
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (code, n) in analyses.SelectMany(a => a.Errors))
        {
            errors[code] = errors.GetValueOrDefault(code) + n;
        }

        var endToFinal = analyses.SelectMany(a => a.EndOfSpeechToFinalMs).ToList();
        return new StreamReport
        {
            Streams = outcomes.Count,
            DurationSeconds = settings.Duration.TotalSeconds,
            TalkRatio = settings.TalkRatio,
            FrameMs = settings.FrameMs,
            EndpointSilenceMs = settings.EndpointSilenceMs,
            UpstreamProcessingMs = upstreamProcessingMs,
            Connected = outcomes.Count(o => o.Utterances.Count > 0),
            Refused = outcomes.Count(o => o.Refused),
            Failed = outcomes.Count(o => o.Failure is not null),
            DrainTimeouts = outcomes.Count(o => o.DrainTimedOut),
            AbnormalCloses = outcomes.Count(o => !o.Refused && o.CloseStatus != WebSocketCloseStatus.NormalClosure),
            Utterances = outcomes.Sum(o => o.Utterances.Count),
            UtterancesWithoutFinal = analyses.Sum(a => a.UtterancesWithoutFinal),
            Segments = analyses.Sum(a => a.Segments),
            SegmentsWithoutFinal = analyses.Sum(a => a.SegmentsWithoutFinal),
            Words = analyses.Aggregate(WordTally.Zero, (sum, a) => sum + a.Words),
            Errors = errors,
            Overflows = analyses.Sum(a => a.Overflows),
            DuplicatedFinals = analyses.Sum(a => a.DuplicatedFinals),
            SpeechStartToFirstPartialMs = Percentiles.Of(analyses.SelectMany(a => a.FirstPartialMs)),
            EndOfSpeechToFinalMs = Percentiles.Of(endToFinal),
            FinalOverheadMs = Percentiles.Of(endToFinal.Select(ms => ms - settings.EndpointSilenceMs - upstreamProcessingMs)),
            SegmentEndOffsetMs = Percentiles.Of(analyses.SelectMany(a => a.SegmentEndOffsetMs)),
            PacingLagMs = Percentiles.Of(outcomes.SelectMany(o => o.PacingLagMs)),
            FailureSamples = outcomes.Where(o => o.Failure is not null).Select(o => $"stream {o.Index}: {o.Failure}").Take(5).ToList(),
            Gateway = gateway,
        };
    }
}
