namespace Gateway.Core.Auth;

/// <summary>
/// One key's counters for the current UTC day. Concurrency: any request thread; everything is Interlocked, and a
/// day change resets the daily counters under the lock.
/// </summary>
public sealed class KeyUsage
{
    private readonly Lock _dayLock = new();
    private int _sessions;
    private long _streamMs;
    private long _uploadBytes;
    private long _refusals;
    private DateOnly _day;

    public int ActiveSessions => Volatile.Read(ref _sessions);

    public long Refusals => Interlocked.Read(ref _refusals);

    public double StreamMinutes(DateOnly today)
    {
        Roll(today);
        return Interlocked.Read(ref _streamMs) / 60_000.0;
    }

    public long UploadBytes(DateOnly today)
    {
        Roll(today);
        return Interlocked.Read(ref _uploadBytes);
    }

    /// <summary>Takes a session slot unless <paramref name="max"/> are open (0 = no limit).</summary>
    public bool TryOpenSession(int max)
    {
        while (true)
        {
            var current = Volatile.Read(ref _sessions);
            if (max > 0 && current >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _sessions, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void CloseSession(DateOnly today, TimeSpan lasted)
    {
        Interlocked.Decrement(ref _sessions);
        Roll(today);
        Interlocked.Add(ref _streamMs, (long)lasted.TotalMilliseconds);
    }

    public void AddUpload(DateOnly today, long bytes)
    {
        Roll(today);
        Interlocked.Add(ref _uploadBytes, bytes);
    }

    public void Refused() => Interlocked.Increment(ref _refusals);

    private void Roll(DateOnly today)
    {
        if (_day == today)
        {
            return;
        }

        lock (_dayLock)
        {
            if (_day != today)
            {
                Interlocked.Exchange(ref _streamMs, 0);
                Interlocked.Exchange(ref _uploadBytes, 0);
                _day = today;
            }
        }
    }
}
