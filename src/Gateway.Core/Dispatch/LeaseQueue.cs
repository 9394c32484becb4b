namespace Gateway.Core.Dispatch;

/// <summary>
/// Every segment waiting for an upstream connection, across sessions, served oldest first by when it was spoken, so
/// one busy session cannot starve another and a segment that retried does not lose its place.
/// </summary>
/// <remarks>
/// A segment joins when it starts waiting and leaves when it has a connection or gives up. To ask the pool it needs
/// a turn; <see cref="Turns"/> turns exist, granted to the oldest segment that wants one. A turn holder may wait in
/// the pool (its own queue is first come, first served), so among at most <see cref="Turns"/> segments the order is
/// the pool's; everybody else waits here in age order. Several turns, not one, so a burst of speech starts does not
/// connect one connection at a time. Thread-safe; O(waiting) per grant, which is tens, not thousands.
/// </remarks>
public sealed class LeaseQueue
{
    /// <summary>Segments that may ask the pool at once.</summary>
    public const int Turns = 4;

    private readonly Lock _lock = new();
    private readonly List<Ticket> _waiting = [];
    private int _free = Turns;
    private long _sequence;

    /// <summary>Segments waiting for a connection now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Timestamp (TimeProvider) the oldest waiting segment was spoken at; null when none waits.</summary>
    public long? OldestSpokenAt
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count == 0 ? null : _waiting.Min(t => t.SpokenAt);
            }
        }
    }

    internal Ticket Join(long spokenAt)
    {
        lock (_lock)
        {
            var ticket = new Ticket(this, spokenAt, _sequence++);
            _waiting.Add(ticket);
            return ticket;
        }
    }

    private void GrantLocked()
    {
        while (_free > 0)
        {
            Ticket? oldest = null;
            foreach (var t in _waiting)
            {
                if (t.Wants && (oldest is null || t.IsOlderThan(oldest)))
                {
                    oldest = t;
                }
            }

            if (oldest is null)
            {
                return;
            }

            _free--;
            oldest.Grant();
        }
    }

    /// <summary>A segment's place in the queue; dispose to leave it.</summary>
    internal sealed class Ticket : IDisposable
    {
        private readonly LeaseQueue _queue;
        private TaskCompletionSource? _turn;
        private bool _holdsTurn;
        private bool _left;

        public Ticket(LeaseQueue queue, long spokenAt, long sequence)
        {
            _queue = queue;
            SpokenAt = spokenAt;
            Sequence = sequence;
        }

        public long SpokenAt { get; }

        public long Sequence { get; }

        public bool Wants { get; private set; }

        /// <summary>1 for the oldest waiting segment, 2 for the next, ...</summary>
        public int Position
        {
            get
            {
                lock (_queue._lock)
                {
                    return 1 + _queue._waiting.Count(t => t.IsOlderThan(this));
                }
            }
        }

        public bool IsOlderThan(Ticket other) => SpokenAt < other.SpokenAt || (SpokenAt == other.SpokenAt && Sequence < other.Sequence);

        /// <summary>Completes when this segment may ask the pool; call <see cref="EndTurn"/> after asking.</summary>
        public async ValueTask WaitTurnAsync(CancellationToken cancellationToken)
        {
            Task turn;
            lock (_queue._lock)
            {
                _turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Wants = true;
                _queue.GrantLocked();
                turn = _turn.Task;
            }

            try
            {
                await turn.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (_queue._lock)
                {
                    Wants = false;
                    if (_holdsTurn)
                    {
                        ReleaseTurnLocked(); // granted just as the wait gave up
                    }
                }

                throw;
            }
        }

        public void EndTurn()
        {
            lock (_queue._lock)
            {
                if (_holdsTurn)
                {
                    ReleaseTurnLocked();
                }
            }
        }

        public void Dispose()
        {
            lock (_queue._lock)
            {
                if (_left)
                {
                    return;
                }

                _left = true;
                Wants = false;
                _queue._waiting.Remove(this);
                if (_holdsTurn)
                {
                    ReleaseTurnLocked();
                }
            }
        }

        internal void Grant()
        {
            Wants = false;
            _holdsTurn = true;
            _turn!.TrySetResult();
        }

        private void ReleaseTurnLocked()
        {
            _holdsTurn = false;
            _queue._free++;
            _queue.GrantLocked();
        }
    }
}
