using Gateway.Upstream.Diagnostics;

namespace Gateway.Native.Clients;

/// <summary>Per-phase time summed over several pools (the pool keeps count and mean per phase).</summary>
internal sealed class PhaseTotals
{
    private readonly Dictionary<UpstreamPhase, double> _microseconds = [];

    public static PhaseTotals Of(IEnumerable<UpstreamStatistics> statistics)
    {
        var totals = new PhaseTotals();
        foreach (var s in statistics)
        {
            foreach (var (phase, p) in s.Phases)
            {
                totals._microseconds[phase] = totals._microseconds.GetValueOrDefault(phase) + (p.Count * p.MeanMicroseconds);
            }
        }

        return totals;
    }

    /// <summary>All time spent in <paramref name="phase"/>, µs.</summary>
    public ulong Total(UpstreamPhase phase) => (ulong)Math.Round(_microseconds.GetValueOrDefault(phase));
}
