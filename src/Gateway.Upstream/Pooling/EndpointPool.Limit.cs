namespace Gateway.Upstream.Pooling;

/// <summary>
/// The adaptive limit applied to the slot semaphore: a cut takes permits out (free ones at once, the rest from the
/// next releases), a raise gives them back, so leases never exceed the limit and waiters keep their order.
/// </summary>
internal sealed partial class EndpointPool
{
    private readonly Lock _limitLock = new();
    private readonly AdaptiveLimit? _limit;
    private int _withheld; // permits taken out of _slots
    private int _owed;     // permits still to take out, from the next releases

    /// <summary>Utterances this endpoint takes at once now: MaxConnections, or less while the adaptive limit is cut.</summary>
    public int Limit => _limit?.Current ?? MaxConnections;

    /// <summary>An utterance leased at <paramref name="leasedAt"/> got its final (or timed out) <paramref name="latency"/> after its end of input.</summary>
    public void ReportFinalLatency(long leasedAt, TimeSpan latency)
    {
        if (_limit is null)
        {
            return;
        }

        lock (_limitLock)
        {
            var before = _limit.Current;
            var after = _limit.OnFinal(leasedAt, latency, InFlight);
            if (after == before)
            {
                return;
            }

            var keepOut = MaxConnections - after;
            var extra = keepOut - _withheld - _owed;
            while (extra > 0 && _slots.Wait(0, CancellationToken.None))
            {
                _withheld++;
                extra--;
            }

            _owed += Math.Max(extra, 0);
            var back = Math.Max(-extra, 0);
            var forgiven = Math.Min(back, _owed);
            _owed -= forgiven;
            back -= forgiven;
            if (back > 0)
            {
                _withheld -= back;
                _slots.Release(back);
            }

            if (after < before)
            {
                Log.LimitCut(_logger, Name, before, after, latency);
            }
        }
    }

    /// <summary>A lease ended: its permit goes back to the semaphore unless a cut still owes one.</summary>
    private void ReturnSlot()
    {
        if (Volatile.Read(ref _owed) > 0)
        {
            lock (_limitLock)
            {
                if (_owed > 0)
                {
                    _owed--;
                    _withheld++;
                    return;
                }
            }
        }

        _slots.Release();
    }
}
