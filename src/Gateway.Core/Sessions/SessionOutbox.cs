using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>
/// The events a session owes its client, bounded, surviving the client's connection: while the session is detached
/// (its transport dropped, resume pending) events keep queueing, a partial replaces the partial queued just before it
/// (only the latest text matters), and every final is kept. Finals (and per-segment errors) that were written to a
/// socket stay in a sent log until the client says, on resume, how many it received: TCP delivers a prefix of what was
/// written, so that count says exactly which ones to replay, and each reaches the client once.
/// </summary>
/// <remarks>
/// Concurrency: any thread enqueues (pipeline, timers, the receive loop); one send loop at a time reads
/// (<see cref="PeekAsync"/> then <see cref="Sent"/>); a resume re-queues only after the previous send loop has stopped.
/// </remarks>
internal sealed class SessionOutbox
{
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly ServerEvent[] _items;
    private readonly ServerEvent[] _sentLog;
    private int _head;
    private int _count;
    private long _sentTerminal; // terminal results written to a socket, over the session's life
    private int _logCount;      // the last _logCount of them are in _sentLog (ring, by sequence number)
    private bool _completed;
    private bool _detached;
    private TaskCompletionSource? _waiter;

    public SessionOutbox(int capacity)
    {
        _capacity = capacity;
        // Room for a full queue plus a full replay of the sent log in front of it, plus the last message.
        _items = new ServerEvent[capacity * 2 + 1];
        _sentLog = new ServerEvent[capacity];
    }

    /// <summary>Finals and segment errors written to a socket so far (what a client's <c>finals</c> count is compared to).</summary>
    public long SentTerminal
    {
        get
        {
            lock (_gate)
            {
                return _sentTerminal;
            }
        }
    }

    /// <summary>Queues an event; false when full (the client is not reading) or completed.</summary>
    public bool TryEnqueue(ServerEvent serverEvent, bool force = false)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            if (_detached && serverEvent is PartialEvent && _count > 0 && At(_count - 1) is PartialEvent)
            {
                _items[(_head + _count - 1) % _items.Length] = serverEvent;
                return true;
            }

            if (_count >= (force ? _capacity + 1 : _capacity))
            {
                return false;
            }

            _items[(_head + _count) % _items.Length] = serverEvent;
            _count++;
            wake = _waiter;
            _waiter = null;
        }

        wake?.TrySetResult();
        return true;
    }

    /// <summary>No more events will be queued; the reader sees the end once the queue is empty.</summary>
    public void Complete()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            _completed = true;
            wake = _waiter;
            _waiter = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>The next event to send (left queued until <see cref="Sent"/>), or null once completed and empty.</summary>
    public async ValueTask<ServerEvent?> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_count > 0)
                {
                    return _items[_head];
                }

                if (_completed)
                {
                    return null;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The event returned by <see cref="PeekAsync"/> was written to the socket.</summary>
    public void Sent()
    {
        lock (_gate)
        {
            var sent = _items[_head];
            _items[_head] = null!;
            _head = (_head + 1) % _items.Length;
            _count--;
            if (sent is FinalEvent or SegmentFailedEvent)
            {
                _sentLog[_sentTerminal % _sentLog.Length] = sent;
                _sentTerminal++;
                _logCount = Math.Min(_logCount + 1, _sentLog.Length);
            }
        }
    }

    /// <summary>The transport dropped: from now on partials collapse to the latest.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _detached = true;
        }
    }

    /// <summary>
    /// A client came back having received <paramref name="received"/> terminal results: the ones written after those
    /// go back to the front of the queue in their order, after <paramref name="first"/> (the new ready).
    /// </summary>
    /// <param name="first">The resumed <c>ready</c>, given how many of the finals the client missed are no longer in the log (0 normally).</param>
    public void Reattach(long received, Func<long, ServerEvent> first)
    {
        lock (_gate)
        {
            _detached = false;
            var oldest = _sentTerminal - _logCount;
            var from = Math.Max(received, oldest);
            var lost = from - received; // older than the log keeps (the last capacity terminal events): the client is told
            var replay = (int)(_sentTerminal - from);
            for (var seq = _sentTerminal - 1; seq >= from; seq--)
            {
                PushFront(_sentLog[seq % _sentLog.Length]);
            }

            // They will be logged again when written, so drop them from the log now.
            _sentTerminal -= replay;
            _logCount -= replay;
            PushFront(first(lost));
        }
    }

    private void PushFront(ServerEvent serverEvent)
    {
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = serverEvent;
        _count++;
    }

    private ServerEvent At(int index) => _items[(_head + index) % _items.Length];
}
