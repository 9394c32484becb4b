namespace Gateway.Upstream.Diagnostics;

/// <summary>A snapshot of the pool's counters since start (for tools and tests; the Meter carries the same numbers).</summary>
public sealed record UpstreamStatistics(
    long Requests,
    long Succeeded,
    long Failed,
    long TimedOut,
    long Cancelled,
    long ReuseHits,
    long NewConnections,
    long Discarded,
    IReadOnlyDictionary<UpstreamPhase, PhaseStatistics> Phases)
{
    /// <summary>Share of acquisitions served by an already open connection.</summary>
    public double ReuseRate => ReuseHits + NewConnections == 0 ? 0 : (double)ReuseHits / (ReuseHits + NewConnections);
}
