namespace Gateway.Upstream.Pooling;

/// <summary>
/// Per-endpoint health: closed until <c>threshold</c> consecutive upstream failures, then open until the pool's
/// recovery probe (<see cref="EndpointPool"/>, backoff RecoveryProbeInitialDelay doubling to RecoveryProbeMaxDelay)
/// connects again. The probe is the only trial: an open circuit lets no utterance through on a timer of its own, so
/// the open time and the probe backoff are one schedule, and a held segment learns of the recovery from
/// <see cref="Closed"/> instead of asking every few hundred milliseconds.
/// Thread-safe; called once per acquisition and once per outcome, never per frame.
/// </summary>
internal sealed class CircuitBreaker
{
    private readonly object _lock = new();
    private readonly int _threshold;
    private int _failures;
    private TaskCompletionSource? _closed; // while open: completes when the circuit closes

    public CircuitBreaker(int threshold) => _threshold = threshold;

    /// <summary>True while the circuit is closed (the endpoint takes work).</summary>
    public bool IsHealthy
    {
        get
        {
            lock (_lock)
            {
                return _closed is null;
            }
        }
    }

    /// <summary>The endpoint has not proven itself since it last failed: only the recovery probe may close it.</summary>
    public bool IsOpen => !IsHealthy;

    /// <summary>Completes when the circuit is closed: at once while it is, else when a probe closes it.</summary>
    public Task Closed
    {
        get
        {
            lock (_lock)
            {
                return _closed?.Task ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>Whether an acquisition may go ahead.</summary>
    public bool TryPass() => IsHealthy;

    /// <summary>Returns true when this closed an open circuit.</summary>
    public bool Success()
    {
        TaskCompletionSource? closed;
        lock (_lock)
        {
            (closed, _closed, _failures) = (_closed, null, 0);
        }

        closed?.TrySetResult();
        return closed is not null;
    }

    /// <summary>Returns true when this opened the circuit.</summary>
    public bool Failure()
    {
        lock (_lock)
        {
            _failures++;
            if (_closed is null && _failures >= _threshold)
            {
                _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return true;
            }

            return false;
        }
    }
}
