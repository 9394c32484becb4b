using Gateway.Load.Metrics;
using Gateway.Load.Report;

namespace Gateway.Load.Wave;

/// <summary>Waves of short sessions through the gateway (issue 4's wave, end to end).</summary>
internal sealed record WaveReport
{
    public required int Concurrency { get; init; }
    public required int Rounds { get; init; }
    public required int Sessions { get; init; }
    public required double Seconds { get; init; }
    public required double Qps { get; init; }
    public required Percentiles LatencyMs { get; init; }
    public required int Failed { get; init; }
    public required double FailPercent { get; init; }
    public required int WordsExpected { get; init; }
    public required int WordsLost { get; init; }
    public required double UpstreamConnects { get; init; }
    public required double UpstreamReuse { get; init; }

    /// <summary>Upstream leases served by an already open connection: reuse / (reuse + connects).</summary>
    public required double ReusePercent { get; init; }

    public required IReadOnlyList<string> FailureSamples { get; init; }
    public GatewayReport? Gateway { get; init; }
}
