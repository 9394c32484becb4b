namespace Gateway.Core.Dashboard;

/// <summary>One second of the gateway as the dashboard charts it (docs/jobs.md, Dashboard).</summary>
/// <param name="CpuPercent">Process CPU over the last second, as a share of all cores (0-100).</param>
/// <param name="FinalLatencyP50Ms">Median end-of-speech-to-final latency of the finals of the last <see cref="DashboardSampler.LatencyWindow"/>; null without finals.</param>
/// <param name="AudioSecondsPerSecond">Audio transcribed per wall second: live sessions' accepted audio and jobs' finished audio.</param>
public sealed record DashboardSample(
    DateTimeOffset At,
    double CpuPercent,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    int LiveSessions,
    int Rooms,
    int JobsQueued,
    int JobsProcessing,
    IReadOnlyList<DashboardUpstream> Upstream,
    double? FinalLatencyP50Ms,
    double? FinalLatencyP99Ms,
    double AudioSecondsPerSecond);
