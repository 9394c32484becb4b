using System.Collections.Concurrent;
using FunAsr.Simulator.Faults;

namespace FunAsr.Simulator.Diagnostics;

/// <summary>Counters of one simulator host, for tests and load runs. Thread-safe.</summary>
public sealed class SimulatorStats
{
    /// <summary>Violations kept; later ones are counted in <see cref="ViolationCount"/> only.</summary>
    public const int MaxViolationsKept = 10_000;

    private readonly ConcurrentDictionary<long, ConnectionStats> _connections = new();
    private readonly ConcurrentDictionary<FaultKind, long> _faults = new();
    private readonly Lock _violationsLock = new();
    private readonly List<ProtocolViolation> _violations = [];
    private long _nextConnectionId;
    private long _connectionsOpen;
    private long _utterancesStarted;
    private long _utterancesCompleted;
    private long _configs;
    private long _poisoned;
    private long _violationCount;
    private long _sequenceRegressions;
    private long _messagesSent;

    /// <summary>The decoder workers of the capacity model (all zero while it is off).</summary>
    public DecoderStats Decoders { get; } = new();

    public long ConnectionsOpened => Interlocked.Read(ref _nextConnectionId);

    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);

    public long UtterancesStarted => Interlocked.Read(ref _utterancesStarted);

    /// <summary>Utterances whose terminal message was sent.</summary>
    public long UtterancesCompleted => Interlocked.Read(ref _utterancesCompleted);

    public long ConfigsReceived => Interlocked.Read(ref _configs);

    public long PoisonedConnections => Interlocked.Read(ref _poisoned);

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Watermark frames whose sequence number went backwards within an utterance (duplicated or reordered audio).</summary>
    public long WatermarkSequenceRegressions => Interlocked.Read(ref _sequenceRegressions);

    public long BytesReceived => _connections.Values.Sum(c => c.BytesReceived);

    /// <summary>Highest <see cref="ConnectionStats.MaxConcurrentUtterances"/> of any connection. At most 1 when clients behave.</summary>
    public int MaxConcurrentUtterancesPerConnection => _connections.IsEmpty ? 0 : _connections.Values.Max(c => c.MaxConcurrentUtterances);

    public long ViolationCount => Interlocked.Read(ref _violationCount);

    /// <summary>Snapshot of the protocol violations seen, in order.</summary>
    public IReadOnlyList<ProtocolViolation> Violations
    {
        get { lock (_violationsLock) { return [.. _violations]; } }
    }

    /// <summary>Snapshot of the connections, open and closed, in accept order.</summary>
    public IReadOnlyList<ConnectionStats> Connections => [.. _connections.Values.OrderBy(c => c.Id)];

    /// <summary>Snapshot of injected fault counts.</summary>
    public IReadOnlyDictionary<FaultKind, long> FaultsInjected => new Dictionary<FaultKind, long>(_faults);

    public long FaultCount(FaultKind kind) => _faults.TryGetValue(kind, out var n) ? n : 0;

    /// <summary>Polls until <paramref name="condition"/> holds (every 5 ms), for tests that wait on server-side effects.</summary>
    public async Task WaitUntilAsync(Func<SimulatorStats, bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (!condition(this))
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    internal ConnectionStats OpenConnection(string path)
    {
        var id = Interlocked.Increment(ref _nextConnectionId);
        var stats = new ConnectionStats(id, path);
        _connections[id] = stats;
        Interlocked.Increment(ref _connectionsOpen);
        return stats;
    }

    internal void CloseConnection(ConnectionStats connection)
    {
        connection.Open = false;
        Interlocked.Decrement(ref _connectionsOpen);
    }

    internal int StartUtterance(ConnectionStats connection)
    {
        Interlocked.Increment(ref _utterancesStarted);
        return connection.StartUtterance();
    }

    internal void CompleteUtterance(ConnectionStats connection)
    {
        Interlocked.Increment(ref _utterancesCompleted);
        connection.CompleteUtterance();
    }

    internal void AddConfig(ConnectionStats connection)
    {
        Interlocked.Increment(ref _configs);
        connection.AddConfig();
    }

    internal void AddPoisoned(ConnectionStats connection)
    {
        connection.Poisoned = true;
        Interlocked.Increment(ref _poisoned);
    }

    internal void AddFault(FaultKind kind) => _faults.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void AddSequenceRegressions(int count) => Interlocked.Add(ref _sequenceRegressions, count);

    internal void AddMessageSent() => Interlocked.Increment(ref _messagesSent);

    internal void AddViolation(ProtocolViolation violation)
    {
        Interlocked.Increment(ref _violationCount);
        lock (_violationsLock)
        {
            if (_violations.Count < MaxViolationsKept)
            {
                _violations.Add(violation);
            }
        }
    }
}
