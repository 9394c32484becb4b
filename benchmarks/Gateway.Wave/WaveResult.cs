using System.Globalization;

namespace Gateway.Wave;

/// <summary>Outcome of one way of running the waves.</summary>
/// <param name="Cost">Client-side CPU and allocations of the timed rounds (only the client's when the simulator runs in another process).</param>
internal sealed record WaveResult(string Name, int Utterances, double Seconds, double[] LatenciesMs, int Failed, int TimedOut, double? ReuseRate, double[] RoundsMs, WaveCost Cost)
{
    public static string Header => $"{"client",-34} {"utts",6} {"QPS",8} {"P50 ms",8} {"P95 ms",8} {"P99 ms",8} {"fail %",7} {"t/o %",7} {"reuse %",8} {"wave std",9} {"range",7} {"CPU us/req",10} {"B/req",8}";

    public override string ToString()
    {
        var sorted = LatenciesMs.Order().ToArray();
        string P(double q) => sorted.Length == 0 ? "-" : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)].ToString("F1", CultureInfo.InvariantCulture);
        var reuse = ReuseRate is { } r ? (100 * r).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name,-34} {Utterances,6} {Utterances / Seconds,8:F1} {P(0.50),8} {P(0.95),8} {P(0.99),8} {100.0 * Failed / Utterances,7:F2} {100.0 * TimedOut / Utterances,7:F2} {reuse,8} {StdDev(RoundsMs),9:F1} {RoundsMs.Max() - RoundsMs.Min(),7:F1} {Cost.CpuMicroseconds / Utterances,10:F0} {Cost.AllocatedBytes / Utterances,8}");
    }

    private static double StdDev(double[] x) => x.Length < 2 ? 0 : Math.Sqrt(x.Sum(v => (v - x.Average()) * (v - x.Average())) / (x.Length - 1));
}
