using System.Diagnostics.Metrics;

namespace Gateway.Upstream.Diagnostics;

/// <summary>
/// Counters of the pool, published on the <c>Gateway.Upstream</c> Meter and kept in process for
/// <see cref="Snapshot"/>. Thread-safe; recording allocates nothing.
/// </summary>
internal sealed class UpstreamMetrics : IDisposable
{
    public const string MeterName = "Gateway.Upstream";
    private static readonly string[] PhaseNames = Enum.GetNames<UpstreamPhase>().Select(ToSnake).ToArray();

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _reuse;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _discards;
    private readonly Histogram<double> _phase;
    private readonly Histogram<double> _lease;
    private readonly long[] _phaseCount = new long[PhaseNames.Length];
    private readonly long[] _phaseTicks = new long[PhaseNames.Length];
    private readonly long[] _phaseMax = new long[PhaseNames.Length];
    private long _requestCount, _successCount, _failCount, _timeoutCount, _cancelCount, _reuseCount, _connectCount, _discardCount;

    public UpstreamMetrics(TimeProvider time, IMeterFactory? meterFactory)
    {
        _time = time;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("gateway.upstream.requests", description: "Utterances started.");
        _succeeded = _meter.CreateCounter<long>("gateway.upstream.succeeded", description: "Utterances that reached their terminal message.");
        _failed = _meter.CreateCounter<long>("gateway.upstream.failed", description: "Utterances that failed, by error.");
        _reuse = _meter.CreateCounter<long>("gateway.upstream.pool.reuse", description: "Acquisitions served by an open connection.");
        _connects = _meter.CreateCounter<long>("gateway.upstream.pool.connects", description: "New upstream connections.");
        _discards = _meter.CreateCounter<long>("gateway.upstream.pool.discards", description: "Connections closed as suspect, broken or evicted.");
        _phase = _meter.CreateHistogram<double>("gateway.upstream.phase.duration", unit: "ms", description: "Per-phase micro-profile.");
        _lease = _meter.CreateHistogram<double>(
            "gateway.upstream.pool.lease.duration", unit: "ms", description: "How long one utterance held its connection (acquired to released).");
    }

    public Meter Meter => _meter;

    public long Timestamp() => _time.GetTimestamp();

    public void Request()
    {
        Interlocked.Increment(ref _requestCount);
        _requests.Add(1);
    }

    public void Succeeded()
    {
        Interlocked.Increment(ref _successCount);
        _succeeded.Add(1);
    }

    public void Failed(UpstreamError error)
    {
        if (error == UpstreamError.Cancelled)
        {
            Interlocked.Increment(ref _cancelCount);
        }
        else
        {
            Interlocked.Increment(ref _failCount);
            if (error.IsTimeout())
            {
                Interlocked.Increment(ref _timeoutCount);
            }
        }

        _failed.Add(1, new KeyValuePair<string, object?>("error", ErrorNames[(int)error]));
    }

    public void ReuseHit()
    {
        Interlocked.Increment(ref _reuseCount);
        _reuse.Add(1);
    }

    public void Connected()
    {
        Interlocked.Increment(ref _connectCount);
        _connects.Add(1);
    }

    public void Discarded()
    {
        Interlocked.Increment(ref _discardCount);
        _discards.Add(1);
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Timestamp"/>) for a phase.</summary>
    public void Phase(UpstreamPhase phase, long startTimestamp)
    {
        var ticks = _time.GetTimestamp() - startTimestamp;
        var i = (int)phase;
        Interlocked.Increment(ref _phaseCount[i]);
        Interlocked.Add(ref _phaseTicks[i], ticks);
        long max;
        while (ticks > (max = Volatile.Read(ref _phaseMax[i])) && Interlocked.CompareExchange(ref _phaseMax[i], ticks, max) != max)
        {
        }

        _phase.Record(ticks * 1000.0 / _time.TimestampFrequency, new KeyValuePair<string, object?>("phase", PhaseNames[i]));
    }

    /// <summary>Records how long a lease that began at <paramref name="leasedTimestamp"/> held its connection.</summary>
    public void LeaseEnded(long leasedTimestamp) =>
        _lease.Record((_time.GetTimestamp() - leasedTimestamp) * 1000.0 / _time.TimestampFrequency);

    public UpstreamStatistics Snapshot()
    {
        var phases = new Dictionary<UpstreamPhase, PhaseStatistics>();
        var toMicros = 1_000_000.0 / _time.TimestampFrequency;
        for (var i = 0; i < PhaseNames.Length; i++)
        {
            var count = Volatile.Read(ref _phaseCount[i]);
            phases[(UpstreamPhase)i] = new PhaseStatistics(
                count,
                count == 0 ? 0 : Volatile.Read(ref _phaseTicks[i]) * toMicros / count,
                Volatile.Read(ref _phaseMax[i]) * toMicros);
        }

        return new UpstreamStatistics(
            Volatile.Read(ref _requestCount), Volatile.Read(ref _successCount), Volatile.Read(ref _failCount),
            Volatile.Read(ref _timeoutCount), Volatile.Read(ref _cancelCount), Volatile.Read(ref _reuseCount),
            Volatile.Read(ref _connectCount), Volatile.Read(ref _discardCount), phases);
    }

    public void Dispose() => _meter.Dispose();

    private static readonly string[] ErrorNames = Enum.GetNames<UpstreamError>().Select(ToSnake).ToArray();

    private static string ToSnake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
