namespace Gateway.Native.Clients;

/// <summary>The C API's own counters (the pool's come from <c>UpstreamClient.GetStatistics</c>). Thread-safe, lock-free.</summary>
internal sealed class NativeCounters
{
    private long _requests;
    private long _succeeded;
    private long _failed;
    private long _timedOut;
    private long _ticks;

    public long Requests => Interlocked.Read(ref _requests);

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Wall time of every finished request added up, µs.</summary>
    public long TotalMicroseconds => Interlocked.Read(ref _ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>A request reached the pool; returns its start (a <see cref="TimeProvider.System"/> timestamp).</summary>
    public long Request()
    {
        Interlocked.Increment(ref _requests);
        return TimeProvider.System.GetTimestamp();
    }

    public void Success(long startTimestamp)
    {
        Elapsed(startTimestamp);
        Interlocked.Increment(ref _succeeded);
    }

    public void Failure(long startTimestamp, bool timedOut)
    {
        Elapsed(startTimestamp);
        Interlocked.Increment(ref _failed);
        if (timedOut)
        {
            Interlocked.Increment(ref _timedOut);
        }
    }

    private void Elapsed(long startTimestamp) => Interlocked.Add(ref _ticks, TimeProvider.System.GetElapsedTime(startTimestamp).Ticks);
}
