namespace Gateway.Upstream.Pooling;

/// <summary>
/// Per-endpoint health: closed until <c>threshold</c> consecutive upstream failures, then open for a while,
/// then half-open (one trial acquisition; its success closes, its failure reopens).
/// Thread-safe; called once per acquisition and once per outcome, never per frame.
/// </summary>
internal sealed class CircuitBreaker
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly int _threshold;
    private readonly TimeSpan _openFor;
    private int _failures;
    private long _openUntil;
    private bool _open;
    private bool _trial;

    public CircuitBreaker(TimeProvider time, int threshold, TimeSpan openFor)
    {
        _time = time;
        _threshold = threshold;
        _openFor = openFor;
    }

    /// <summary>False while open and not yet due for a trial.</summary>
    public bool IsHealthy
    {
        get
        {
            lock (_lock)
            {
                return !_open || (!_trial && _time.GetTimestamp() >= _openUntil);
            }
        }
    }

    /// <summary>Open or half-open: the endpoint has not proven itself since it last failed.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    /// <summary>Whether an acquisition may go ahead; in half-open state only one at a time.</summary>
    public bool TryPass()
    {
        lock (_lock)
        {
            if (!_open)
            {
                return true;
            }

            if (_trial || _time.GetTimestamp() < _openUntil)
            {
                return false;
            }

            _trial = true;
            return true;
        }
    }

    /// <summary>Returns true when this closed an open circuit.</summary>
    public bool Success()
    {
        lock (_lock)
        {
            var wasOpen = _open;
            (_failures, _open, _trial) = (0, false, false);
            return wasOpen;
        }
    }

    /// <summary>Returns true when this opened the circuit.</summary>
    public bool Failure()
    {
        lock (_lock)
        {
            _failures++;
            if (_trial || (!_open && _failures >= _threshold))
            {
                var opened = !_open;
                (_open, _trial) = (true, false);
                _openUntil = _time.GetTimestamp() + (long)(_openFor.TotalSeconds * _time.TimestampFrequency);
                return opened;
            }

            return false;
        }
    }

    /// <summary>The trial ended without a verdict (the caller cancelled): let another one through.</summary>
    public void Neutral()
    {
        lock (_lock)
        {
            _trial = false;
        }
    }
}
