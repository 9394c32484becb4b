namespace FunAsr.Simulator.Diagnostics;

/// <summary>Counters of one WebSocket connection. Updated by the connection's own loops, read by anyone.</summary>
public sealed class ConnectionStats
{
    private long _bytesReceived;
    private int _utterancesStarted;
    private int _utterancesCompleted;
    private int _inFlight;
    private int _maxConcurrentUtterances;
    private int _configs;

    internal ConnectionStats(long id, string path)
    {
        Id = id;
        Path = path;
    }

    public long Id { get; }

    /// <summary>Request path of the upgrade (any path is accepted).</summary>
    public string Path { get; }

    /// <summary>Audio bytes received on this connection, dropped ones included.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public int UtterancesStarted => Volatile.Read(ref _utterancesStarted);

    /// <summary>Utterances whose terminal message was sent.</summary>
    public int UtterancesCompleted => Volatile.Read(ref _utterancesCompleted);

    /// <summary>Most utterances started and not yet terminated at one time. At most 1 when the client behaves.</summary>
    public int MaxConcurrentUtterances => Volatile.Read(ref _maxConcurrentUtterances);

    public int ConfigsReceived => Volatile.Read(ref _configs);

    /// <summary>Bad JSON poisoned this connection (C++ flavours): it will never send again.</summary>
    public bool Poisoned { get; internal set; }

    public bool Open { get; internal set; } = true;

    /// <summary>The connection-scoped chunk_size (2pass), as the client sent it.</summary>
    public string? ChunkSize { get; internal set; }

    /// <summary>The connection-scoped hotwords string (C++), when one was sent.</summary>
    public string? Hotwords { get; internal set; }

    internal void AddBytes(int count) => Interlocked.Add(ref _bytesReceived, count);

    internal void AddConfig() => Interlocked.Increment(ref _configs);

    /// <returns>The number of utterances now in flight.</returns>
    internal int StartUtterance()
    {
        Interlocked.Increment(ref _utterancesStarted);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrentUtterances)) && Interlocked.CompareExchange(ref _maxConcurrentUtterances, now, seen) != seen)
        {
        }

        return now;
    }

    internal void CompleteUtterance()
    {
        Interlocked.Increment(ref _utterancesCompleted);
        Interlocked.Decrement(ref _inFlight);
    }
}
