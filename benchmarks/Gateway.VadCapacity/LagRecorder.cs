using System.Diagnostics.Metrics;

namespace Gateway.VadCapacity;

/// <summary>Collects the scheduler's <c>gateway.vad.lag</c> histogram into 1 ms buckets, without allocating.</summary>
internal sealed class LagRecorder : IDisposable
{
    private readonly long[] _buckets = new long[10_001];
    private readonly MeterListener _listener = new();
    private volatile bool _recording;

    public LagRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Gateway.Vad" && instrument.Name == "gateway.vad.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            if (_recording)
            {
                Interlocked.Increment(ref _buckets[(int)Math.Min(value, _buckets.Length - 1)]);
            }
        });
        _listener.Start();
    }

    public void Begin()
    {
        Array.Clear(_buckets);
        _recording = true;
    }

    public void End() => _recording = false;

    public long Count => _buckets.Sum();

    /// <summary>Upper edge of the bucket holding the quantile, in ms.</summary>
    public double Quantile(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var target = (long)Math.Ceiling(total * q);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= target)
            {
                return i + 1;
            }
        }

        return _buckets.Length;
    }

    public void Dispose() => _listener.Dispose();
}
