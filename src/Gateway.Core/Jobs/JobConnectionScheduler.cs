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
/// One pump asks the pool for one connection at a time and gives it to whichever waiter is best <em>when the
/// connection arrives</em>, not when the request was made: a short file's segment that starts waiting while the
/// pool is full is served before the long file's segments that were already waiting. The waiters are a list
/// scanned per grant (a few entries per running job; aging changes every key, so a heap would need rebuilding).
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
    private bool _pumping;
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

    /// <summary>Job segments waiting for a connection.</summary>
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

        var waiter = new Waiter(ticket, request, _time.GetTimestamp());
        lock (_lock)
        {
            _waiters.Add(waiter);
            if (!_pumping)
            {
                _pumping = true;
                _ = Task.Run(PumpAsync, CancellationToken.None);
            }
        }

        try
        {
            return await waiter.Granted.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }

            // Granted while it gave up: the connection goes back.
            if (waiter.Granted.Task.IsCompletedSuccessfully && waiter.Granted.Task.Result.Item1 is { } granted)
            {
                await granted.DisposeAsync();
            }

            throw;
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            UtteranceRequest request;
            lock (_lock)
            {
                var best = Best(null, anyRequest: true);
                if (best is null)
                {
                    _pumping = false;
                    return;
                }

                request = best.Request;
            }

            var (utterance, error) = await AcquireAsync(request);
            Waiter? taker;
            lock (_lock)
            {
                // Whoever is best now, among the waiters this connection suits (same hotword set).
                taker = Best(request.Hotwords, anyRequest: false);
                if (taker is not null)
                {
                    _waiters.Remove(taker);
                }
            }

            if (taker is null)
            {
                if (utterance is not null)
                {
                    await utterance.DisposeAsync();
                }

                continue;
            }

            taker.Granted.TrySetResult((utterance, error));
        }
    }

    private async Task<(JobUtterance?, UpstreamError)> AcquireAsync(UtteranceRequest request)
    {
        try
        {
            // The reserved share asks the pool as live speech does; beyond it, only while no live segment waits.
            var reserved = Volatile.Read(ref _held) < _options.MinConnections;
            using var turn = await _gate.EnterAsync(reserved ? DispatchPriority.Live : DispatchPriority.Background, CancellationToken.None);
            var start = await _upstream.StartUtteranceAsync(request, CancellationToken.None);
            if (!start.Succeeded)
            {
                return (null, start.Error);
            }

            Interlocked.Increment(ref _held);
            return (new JobUtterance(start.Utterance, () => Interlocked.Decrement(ref _held)), UpstreamError.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (null, UpstreamError.ConnectFailed);
        }
    }

    /// <summary>The waiter to serve first (under the lock): least remaining audio, minus its aging credit.</summary>
    private Waiter? Best(HotwordSet? matching, bool anyRequest)
    {
        var now = _time.GetTimestamp();
        Waiter? best = null;
        var bestKey = double.MaxValue;
        foreach (var waiter in _waiters)
        {
            if (!anyRequest && !Equals(waiter.Request.Hotwords, matching))
            {
                continue;
            }

            var key = (waiter.Ticket.RemainingSamples / 16_000.0) - (_options.AgingFactor * _time.GetElapsedTime(waiter.Since, now).TotalSeconds);
            if (key < bestKey)
            {
                bestKey = key;
                best = waiter;
            }
        }

        return best;
    }

    private sealed class Waiter(JobTicket ticket, UtteranceRequest request, long since)
    {
        public JobTicket Ticket { get; } = ticket;

        public UtteranceRequest Request { get; } = request;

        public long Since { get; } = since;

        public TaskCompletionSource<(JobUtterance?, UpstreamError)> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
