namespace Gateway.Core.Dispatch;

/// <summary>
/// Orders requests for upstream connections by <see cref="DispatchPriority"/>: live segments go straight to the
/// pool; background work asks the pool only while no live segment is waiting for a connection, so a burst of
/// file jobs can never delay live captions. Shared by every session. Thread-safe.
/// </summary>
public sealed class PriorityGate
{
    private readonly object _lock = new();
    private int _liveWaiting;
    private TaskCompletionSource _liveIdle = NewCompleted();

    /// <summary>Live segments currently waiting for a connection.</summary>
    public int LiveWaiting => Volatile.Read(ref _liveWaiting);

    /// <summary>Marks a request as waiting for a connection until the returned scope is disposed.</summary>
    public async ValueTask<Scope> EnterAsync(DispatchPriority priority, CancellationToken cancellationToken)
    {
        if (priority == DispatchPriority.Live)
        {
            lock (_lock)
            {
                if (_liveWaiting++ == 0)
                {
                    _liveIdle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            return new Scope(this, live: true);
        }

        while (true)
        {
            Task idle;
            lock (_lock)
            {
                if (_liveWaiting == 0)
                {
                    return new Scope(this, live: false);
                }

                idle = _liveIdle.Task;
            }

            await idle.WaitAsync(cancellationToken);
        }
    }

    private void ExitLive()
    {
        lock (_lock)
        {
            if (--_liveWaiting == 0)
            {
                _liveIdle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewCompleted()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    /// <summary>Ends the wait (the connection was obtained or the attempt gave up).</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly PriorityGate? _gate;
        private readonly bool _live;

        internal Scope(PriorityGate gate, bool live)
        {
            _gate = gate;
            _live = live;
        }

        public void Dispose()
        {
            if (_live)
            {
                _gate?.ExitLive();
            }
        }
    }
}
