using Gateway.Core.Dispatch;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// Hands upstream connections to job segments: behind live speech (through the shared <see cref="PriorityGate"/>),
/// except for the first <see cref="JobsOptions.MinConnections"/> held by jobs, which compete as equals so jobs never
/// starve; among jobs, the one with the shortest remaining audio first, each second of waiting counting as
/// <see cref="JobsOptions.AgingFactor"/> seconds less, so a long recording still gets its turn.
/// </summary>
/// <remarks>
/// One waiter at a time holds the turn and asks the pool; the others wait in a list scanned at each grant (a few
/// entries per running job, so a scan is cheaper than keeping a heap ordered while aging changes every key).
/// Thread-safe; a singleton shared by every transcription.
/// </remarks>
public sealed class JobConnectionScheduler
{
    private readonly UpstreamClient _upstream;
    private readonly PriorityGate _gate;
    private readonly JobsOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Waiter> _waiters = [];
    private bool _turnTaken;
    private int _held;

    public JobConnectionScheduler(UpstreamClient upstream, PriorityGate gate, IOptions<JobsOptions> options, TimeProvider time)
    {
        _upstream = upstream;
        _gate = gate;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Upstream utterances held by job segments now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Job segments waiting for their turn.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Leases an utterance for one segment; the failure is classified (QueueTimeout, CircuitOpen, ...), never thrown.</summary>
    internal async ValueTask<(JobUtterance? Utterance, UpstreamError Error)> LeaseAsync(
        JobTicket ticket, DispatchPriority priority, UtteranceRequest request, CancellationToken cancellationToken)
    {
        if (priority == DispatchPriority.Live)
        {
            using var live = await _gate.EnterAsync(DispatchPriority.Live, cancellationToken);
            var start = await _upstream.StartUtteranceAsync(request, cancellationToken);
            return start.Succeeded ? (new JobUtterance(start.Utterance, null), UpstreamError.None) : (null, start.Error);
        }

        await WaitForTurnAsync(ticket, cancellationToken);
        try
        {
            // The reserved share asks the pool as live speech does; beyond it, only while no live segment waits.
            var reserved = Volatile.Read(ref _held) < _options.MinConnections;
            using var turn = await _gate.EnterAsync(reserved ? DispatchPriority.Live : DispatchPriority.Background, cancellationToken);
            var start = await _upstream.StartUtteranceAsync(request, cancellationToken);
            if (!start.Succeeded)
            {
                return (null, start.Error);
            }

            Interlocked.Increment(ref _held);
            return (new JobUtterance(start.Utterance, () => Interlocked.Decrement(ref _held)), UpstreamError.None);
        }
        finally
        {
            PassTurn();
        }
    }

    private async ValueTask WaitForTurnAsync(JobTicket ticket, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(ticket, _time.GetTimestamp());
        lock (_lock)
        {
            if (!_turnTaken && _waiters.Count == 0)
            {
                _turnTaken = true;
                return;
            }

            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (_waiters.Remove(waiter))
                {
                    throw;
                }
            }

            PassTurn(); // granted while it gave up: the turn goes on
            throw;
        }
    }

    private void PassTurn()
    {
        Waiter? next = null;
        lock (_lock)
        {
            if (_waiters.Count == 0)
            {
                _turnTaken = false;
                return;
            }

            var now = _time.GetTimestamp();
            var best = double.MaxValue;
            foreach (var waiter in _waiters)
            {
                var key = (waiter.Ticket.RemainingSamples / 16_000.0) - (_options.AgingFactor * _time.GetElapsedTime(waiter.Since, now).TotalSeconds);
                if (key < best)
                {
                    best = key;
                    next = waiter;
                }
            }

            _waiters.Remove(next!);
        }

        next!.Granted.TrySetResult();
    }

    private sealed class Waiter(JobTicket ticket, long since)
    {
        public JobTicket Ticket { get; } = ticket;

        public long Since { get; } = since;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
