namespace FunAsr.Simulator.Diagnostics;

/// <summary>
/// Counters of the simulated decoder workers (<see cref="SimulatorOptions.DecoderWorkers"/>): how busy they are and
/// how far the queue in front of them grew. Thread-safe.
/// </summary>
public sealed class DecoderStats
{
    private long _busy;
    private long _maxBusy;
    private long _waiting;
    private long _maxWaiting;
    private long _completed;
    private long _waitTicks;
    private long _busyTicks;

    /// <summary>Decodes running now.</summary>
    public long Busy => Interlocked.Read(ref _busy);

    /// <summary>Most decodes ever running at once: at most <see cref="SimulatorOptions.DecoderWorkers"/> when it is set.</summary>
    public long MaxBusy => Interlocked.Read(ref _maxBusy);

    /// <summary>Decodes waiting for a worker now (a cancelled waiter counts until its turn comes).</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Longest queue seen: above zero means the server fell behind its load at some point.</summary>
    public long MaxWaiting => Interlocked.Read(ref _maxWaiting);

    /// <summary>Decodes finished (or cut short by their connection going away).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Total time decodes spent waiting for a worker.</summary>
    public TimeSpan TotalWait => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>Total worker time charged (audio seconds × cost).</summary>
    public TimeSpan TotalBusy => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    internal void Queued(int waiting)
    {
        Interlocked.Increment(ref _waiting);
        Max(ref _maxWaiting, waiting);
    }

    internal void Dequeued() => Interlocked.Decrement(ref _waiting);

    internal void Started(TimeSpan waited)
    {
        Max(ref _maxBusy, Interlocked.Increment(ref _busy));
        Interlocked.Add(ref _waitTicks, waited.Ticks);
    }

    internal void Finished(TimeSpan cost)
    {
        Interlocked.Decrement(ref _busy);
        Interlocked.Increment(ref _completed);
        Interlocked.Add(ref _busyTicks, cost.Ticks);
    }

    private static void Max(ref long field, long value)
    {
        var seen = Interlocked.Read(ref field);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref field, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
