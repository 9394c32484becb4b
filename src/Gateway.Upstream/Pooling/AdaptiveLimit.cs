namespace Gateway.Upstream.Pooling;

/// <summary>
/// An AIMD limit on the utterances in flight to one endpoint, driven by the time from the end of input to the final.
/// A late final cuts the limit to the utterances in flight times threshold / latency (at most to half, at least by
/// BackoffRatio); only an utterance leased after the last cut can cut again, since the late finals of those leased
/// before it tell of the old limit. While at least half of the limit is used, a final within half the threshold grows
/// it by one, a final nearer the threshold by one per limit's worth of such finals.
/// Always between 1 and the endpoint's MaxConnections. Thread-safe.
/// </summary>
/// <remarks>
/// Why this signal: the end of input is sent after the endpoint silence, so a server keeping up answers within its
/// own decode of the tail (tens to hundreds of milliseconds), whatever the speaker does; a server whose decoders are
/// behind answers after its whole backlog, which grows while more audio comes in than it decodes.
/// </remarks>
internal sealed class AdaptiveLimit
{
    private const double StrongestCut = 0.5;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _threshold;
    private readonly double _backoff;
    private readonly int _max;
    private long _lastCut = long.MinValue;
    private int _limit;
    private int _credit;

    public AdaptiveLimit(int max, TimeSpan threshold, double backoffRatio, TimeProvider time)
    {
        _max = max;
        _limit = max;
        _threshold = threshold;
        _backoff = backoffRatio;
        _time = time;
    }

    public int Current => Volatile.Read(ref _limit);

    /// <summary>
    /// One utterance's final (or its timeout) came <paramref name="latency"/> after its end of input.
    /// <paramref name="leasedAt"/>: when it got its connection (TimeProvider timestamp); <paramref name="inFlight"/>:
    /// utterances in flight at the endpoint now, this one included. Returns the new limit.
    /// </summary>
    public int OnFinal(long leasedAt, TimeSpan latency, int inFlight)
    {
        lock (_lock)
        {
            if (latency > _threshold)
            {
                if (leasedAt > _lastCut)
                {
                    var ratio = Math.Clamp(_threshold / latency, StrongestCut, _backoff);
                    var basis = Math.Min(_limit, Math.Max(inFlight, 1));
                    _limit = Math.Max(1, Math.Min(_limit - 1, (int)(basis * ratio)));
                    _lastCut = _time.GetTimestamp();
                }
            }
            else if (_limit < _max && inFlight * 2 >= _limit)
            {
                // Well within the threshold: one more per final. Nearer it: one more per limit's worth of finals
                // (one per round of utterances), so a limit close to what the server keeps up with creeps, not doubles.
                if (latency * 2 <= _threshold || ++_credit >= _limit)
                {
                    _limit++;
                    _credit = 0;
                }
            }

            return _limit;
        }
    }
}
