using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Gateway.Core.Diagnostics;

/// <summary>
/// Collects this host's System.Diagnostics.Metrics instruments (meters named <c>Gateway*</c> created by the host's
/// <see cref="IMeterFactory"/>, or static ones) and renders them in the Prometheus text format (version 0.0.4).
/// Counters become <c>_total</c>, histograms get cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c>.
/// </summary>
/// <remarks>
/// Thread-safe. A measurement without tags touches only its instrument's pre-built series (no allocation);
/// tagged measurements build a key string, so instruments recorded per audio window should stay untagged.
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] SecondBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] MillisecondBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private static readonly double[] CountBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _factory;
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();

    public PrometheusExporter(IMeterFactory factory)
    {
        _factory = factory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Gateway", StringComparison.Ordinal)
                && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, _factory)))
            {
                var state = new InstrumentState(instrument);
                _instruments[instrument] = state;
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        // The state is null when the instrument's meter was disposed while RecordObservableInstruments ran
        // (its subscription is gone by the time the callback fires): that measurement is simply dropped.
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => (state as InstrumentState)?.Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => (state as InstrumentState)?.Record(v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => (state as InstrumentState)?.Record(v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => (state as InstrumentState)?.Record(v, tags));
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.Start();
    }

    /// <summary>Renders every collected series.</summary>
    public string Render()
    {
        foreach (var state in _instruments.Values)
        {
            state.ResetObservations();
        }

        _listener.RecordObservableInstruments();
        var text = new StringBuilder(4096);
        foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            state.Render(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private sealed class InstrumentState
    {
        private readonly Instrument _instrument;
        private readonly bool _histogram;
        private readonly bool _observable;
        private readonly double[] _buckets;
        private readonly Series _untagged;
        private readonly ConcurrentDictionary<string, Series> _tagged = new();

        public InstrumentState(Instrument instrument)
        {
            _instrument = instrument;
            _histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
            _observable = instrument.IsObservable;
            // Without advice, buckets follow the unit: a latency in ms must not land in +Inf of a seconds scale.
            _buckets = instrument.Unit switch
            {
                "ms" => MillisecondBuckets,
                "s" => SecondBuckets,
                _ => CountBuckets,
            };
            if (_histogram && instrument.GetType().GetProperty("Advice")?.GetValue(instrument) is InstrumentAdvice<double> { HistogramBucketBoundaries: { } b })
            {
                _buckets = [.. b];
            }

            Name = Sanitize(instrument.Name) + UnitSuffix(instrument.Unit);
            _untagged = new Series("", _buckets.Length);
        }

        public string Name { get; }

        private string Type => _histogram ? "histogram"
            : _instrument.GetType().Name.Contains("UpDown", StringComparison.Ordinal) || _instrument.GetType().Name.Contains("Gauge", StringComparison.Ordinal) ? "gauge"
            : "counter";

        public void ResetObservations()
        {
            if (_observable)
            {
                _untagged.Reset();
                foreach (var s in _tagged.Values)
                {
                    s.Reset();
                }
            }
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = tags.Length == 0 ? _untagged : _tagged.GetOrAdd(LabelKey(tags), static (k, n) => new Series(k, n), _buckets.Length);
            if (_histogram)
            {
                series.Observe(value, _buckets);
            }
            else if (_observable && Type == "gauge")
            {
                series.Set(value);
            }
            else
            {
                series.Add(value);
            }
        }

        public void Render(StringBuilder text)
        {
            var type = Type;
            var name = type == "counter" ? Name + "_total" : Name;
            if (!string.IsNullOrEmpty(_instrument.Description))
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(_instrument.Description.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var series in _tagged.Values.Prepend(_untagged))
            {
                if (!series.Touched)
                {
                    continue;
                }

                if (_histogram)
                {
                    series.RenderHistogram(text, Name, _buckets);
                }
                else
                {
                    text.Append(name).Append(Braces(series.Labels)).Append(' ').Append(Format(series.Value)).Append('\n');
                }
            }
        }

        private static string LabelKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var parts = new string[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                var value = Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "";
                parts[i] = $"{Sanitize(tags[i].Key)}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";
            }

            Array.Sort(parts, StringComparer.Ordinal);
            return string.Join(',', parts);
        }

        private static string UnitSuffix(string? unit) => unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
    }

    private sealed class Series
    {
        private readonly long[] _bucketCounts;
        private double _value;
        private double _sum;
        private long _count;

        public Series(string labels, int buckets)
        {
            Labels = labels;
            _bucketCounts = new long[buckets];
        }

        public string Labels { get; }

        public bool Touched { get; private set; }

        public double Value => Volatile.Read(ref _value);

        public void Add(double v)
        {
            double current, updated;
            do
            {
                current = _value;
                updated = current + v;
            }
            while (Interlocked.CompareExchange(ref _value, updated, current) != current);
            Touched = true;
        }

        public void Set(double v)
        {
            Volatile.Write(ref _value, v);
            Touched = true;
        }

        public void Reset() => Volatile.Write(ref _value, 0);

        public void Observe(double v, double[] bounds)
        {
            lock (this)
            {
                var i = Array.BinarySearch(bounds, v);
                i = i < 0 ? ~i : i;
                if (i < _bucketCounts.Length)
                {
                    _bucketCounts[i]++;
                }

                _sum += v;
                _count++;
                Touched = true;
            }
        }

        public void RenderHistogram(StringBuilder text, string name, double[] bounds)
        {
            lock (this)
            {
                long cumulative = 0;
                var sep = Labels.Length == 0 ? "" : Labels + ",";
                for (var i = 0; i < bounds.Length; i++)
                {
                    cumulative += _bucketCounts[i];
                    text.Append(name).Append("_bucket{").Append(sep).Append("le=\"").Append(Format(bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
                }

                text.Append(name).Append("_bucket{").Append(sep).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                text.Append(name).Append("_sum").Append(Braces(Labels)).Append(' ').Append(Format(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(Braces(Labels)).Append(' ').Append(_count).Append('\n');
            }
        }
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && chars[i] != ':')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
