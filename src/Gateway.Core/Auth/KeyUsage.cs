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
    private readonly Queue<DateTimeOffset> _jobs = new(); // start times within the last hour, oldest first (under itself)

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

    /// <summary>Jobs started in the hour before <paramref name="now"/>.</summary>
    public int JobsLastHour(DateTimeOffset now)
    {
        lock (_jobs)
        {
            Expire(now);
            return _jobs.Count;
        }
    }

    /// <summary>
    /// Takes a job of the sliding hour unless <paramref name="max"/> started in the last hour (0 = no limit);
    /// <paramref name="retryAfter"/> is when the oldest leaves it.
    /// </summary>
    public bool TryStartJob(int max, DateTimeOffset now, out TimeSpan retryAfter)
    {
        lock (_jobs)
        {
            Expire(now);
            retryAfter = TimeSpan.Zero;
            if (max > 0 && _jobs.Count >= max)
            {
                retryAfter = _jobs.Peek() + TimeSpan.FromHours(1) - now;
                return false;
            }

            _jobs.Enqueue(now);
            return true;
        }
    }

    /// <summary>The request that took a job did not create one: the newest is given back.</summary>
    public void JobNotCreated()
    {
        lock (_jobs)
        {
            if (_jobs.Count > 0)
            {
                var kept = _jobs.ToArray()[..^1];
                _jobs.Clear();
                foreach (var at in kept)
                {
                    _jobs.Enqueue(at);
                }
            }
        }
    }

    public void Refused() => Interlocked.Increment(ref _refusals);

    private void Expire(DateTimeOffset now)
    {
        while (_jobs.Count > 0 && _jobs.Peek() <= now - TimeSpan.FromHours(1))
        {
            _jobs.Dequeue();
        }
    }

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
