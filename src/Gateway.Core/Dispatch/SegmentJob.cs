using Gateway.Core.Segmentation;

namespace Gateway.Core.Dispatch;

/// <summary>
/// One speech segment on its way upstream. Created at speech start (VAD thread), its audio appended as VAD
/// classifies it, ended at speech end (VAD thread or a flush), consumed by the session's dispatcher loop.
/// Exactly one outcome reaches the client: whoever wins <see cref="TryResolve"/> (the dispatcher's final, a hold
/// that failed, a drain that ran out of time) sends it; everyone else stays silent.
/// </summary>
internal sealed class SegmentJob
{
    private long _end = -1;
    private int _resolved;

    public SegmentJob(long id, long start, long spokenAt)
    {
        Id = id;
        Start = start;
        SpokenAt = spokenAt;
    }

    public long Id { get; }

    /// <summary>First sample (pre-roll included).</summary>
    public long Start { get; }

    /// <summary>Timestamp (TimeProvider) of speech start: the segment's deadline counts from here, not from when it reached the front of a queue.</summary>
    public long SpokenAt { get; }

    /// <summary>The segment's audio, copied out of the ring as it was classified.</summary>
    public SegmentAudio Audio { get; } = new();

    /// <summary>One past the last sample; null while speech goes on.</summary>
    public long? End => Volatile.Read(ref _end) is >= 0 and var end ? end : null;

    /// <summary>Where the audio copied so far ends: the end once known, else how far classification got.</summary>
    public long AudioEnd => End ?? Start + Audio.Samples;

    public SegmentEndReason Reason { get; private set; }

    /// <summary>Timestamp (TimeProvider) of the end decision: the start of the end-of-speech-to-final latency.</summary>
    public long EndedAt { get; private set; }

    /// <summary>True once the segment had to wait for an upstream that failed or was missing (its final is late).</summary>
    public bool Held { get; set; }

    /// <summary>Bytes of this segment counted against the hold budgets (dispatcher's lock).</summary>
    public int ReservedBytes { get; set; }

    /// <summary>True once the client has its final or its error.</summary>
    public bool IsResolved => Volatile.Read(ref _resolved) != 0;

    public void Finish(long end, SegmentEndReason reason, long endedAt)
    {
        Reason = reason;
        EndedAt = endedAt;
        Volatile.Write(ref _end, end);
    }

    /// <summary>Claims the segment's one outcome; false when it already has one.</summary>
    public bool TryResolve() => Interlocked.Exchange(ref _resolved, 1) == 0;
}
