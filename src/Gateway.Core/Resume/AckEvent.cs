using Gateway.Core.Results;

namespace Gateway.Core.Resume;

/// <summary>
/// The server holds the client's audio up to <see cref="Offset"/> input sample frames: a client keeps only what comes
/// after it. PERF: one instance per session, re-queued every ack interval with its offset updated, so acking
/// allocates nothing; it is in the outbox at most once at a time.
/// </summary>
public sealed record AckEvent : ServerEvent
{
    private long _offset;

    public long Offset
    {
        get => Volatile.Read(ref _offset);
        internal set => Volatile.Write(ref _offset, value);
    }
}
