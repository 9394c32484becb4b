namespace Gateway.Load.Metrics;

/// <summary>Quantiles of what a gateway histogram observed between two scrapes, to bucket resolution.</summary>
internal static class HistogramDelta
{
    /// <summary>
    /// The upper bound of the bucket holding quantile <paramref name="q"/> of the observations made between
    /// <paramref name="before"/> and <paramref name="after"/>; null without observations.
    /// </summary>
    public static double? Quantile(MetricsSample before, MetricsSample after, string histogram, double q)
    {
        var end = after.Buckets(histogram);
        if (end.Count == 0)
        {
            return null;
        }

        var start = before.Buckets(histogram).ToDictionary(b => b.Le, b => b.Count);
        var deltas = end.Select(b => (b.Le, Count: b.Count - start.GetValueOrDefault(b.Le))).ToList();
        var total = deltas[^1].Count;
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        return deltas.First(d => d.Count >= rank).Le;
    }

    /// <summary>Count of observations between the two scrapes.</summary>
    public static double Count(MetricsSample before, MetricsSample after, string histogram) =>
        after.Get(histogram + "_count") - before.Get(histogram + "_count");

    /// <summary>Mean of the observations between the two scrapes, or null.</summary>
    public static double? Mean(MetricsSample before, MetricsSample after, string histogram)
    {
        var n = Count(before, after, histogram);
        return n <= 0 ? null : (after.Get(histogram + "_sum") - before.Get(histogram + "_sum")) / n;
    }
}
