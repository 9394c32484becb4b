using System.Diagnostics;
using System.Globalization;

namespace Gateway.Load.Metrics;

/// <summary>
/// One scrape of the gateway's <c>/metrics</c> (Prometheus text format 0.0.4): every series by its full name
/// with labels, e.g. <c>gateway_upstream_pool_idle</c> or <c>gateway_dispatch_final_latency_seconds_bucket{le="0.5"}</c>.
/// </summary>
internal sealed class MetricsSample
{
    private readonly Dictionary<string, double> _series;

    private MetricsSample(Dictionary<string, double> series, long takenAt)
    {
        _series = series;
        TakenAt = takenAt;
    }

    public long TakenAt { get; }

    public IReadOnlyDictionary<string, double> Series => _series;

    public static MetricsSample Parse(string text, long takenAt)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                series[line[..space]] = value;
            }
        }

        return new MetricsSample(series, takenAt);
    }

    public static async Task<MetricsSample> ScrapeAsync(HttpClient http, CancellationToken token)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), token);
        return Parse(text, Stopwatch.GetTimestamp());
    }

    /// <summary>The value of a series, or the sum over every label set of <paramref name="name"/>; 0 when absent.</summary>
    public double Get(string name)
    {
        if (_series.TryGetValue(name, out var v))
        {
            return v;
        }

        var prefix = name + "{";
        return _series.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(kv => kv.Value);
    }

    /// <summary>Cumulative buckets (upper bound, count) of an unlabelled histogram; empty when it has no observation yet.</summary>
    public IReadOnlyList<(double Le, double Count)> Buckets(string histogram)
    {
        var prefix = histogram + "_bucket{le=\"";
        return _series
            .Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.EndsWith("\"}", StringComparison.Ordinal))
            .Select(kv =>
            {
                var le = kv.Key[prefix.Length..^2];
                return (le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), kv.Value);
            })
            .OrderBy(b => b.Item1)
            .ToList();
    }
}
