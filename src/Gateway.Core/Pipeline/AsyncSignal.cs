namespace Gateway.Core.Pipeline;

/// <summary>
/// Wakes one async waiter when something changed (new audio classified, a segment ended). <see cref="Set"/>
/// is a volatile read when nobody waits, so it is cheap enough to call per VAD window.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource? _waiter;
    private int _pending;

    /// <summary>Signals the current or next waiter.</summary>
    public void Set()
    {
        if (Volatile.Read(ref _pending) == 0)
        {
            Volatile.Write(ref _pending, 1);
        }

        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Set"/>, or at once if one happened since the last wait.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _pending, 0) == 1)
        {
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiter, waiter);
        if (Interlocked.Exchange(ref _pending, 0) == 1)
        {
            Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }
}
