using Gateway.Core.Segmentation;

namespace Gateway.Core.Dispatch;

/// <summary>
/// One speech segment on its way upstream. Created at speech start (VAD thread), ended at speech end (VAD thread
/// or a flush), consumed by the session's dispatcher loop. The end is published with a volatile write.
/// </summary>
internal sealed class SegmentJob
{
    private long _end = -1;

    public SegmentJob(long id, long start)
    {
        Id = id;
        Start = start;
    }

    public long Id { get; }

    /// <summary>The segment's audio copied out of the ring so far (for replay).</summary>
    public SegmentAudio Audio { get; } = new();

    /// <summary>
    /// First sample still needed from the ring: everything before it is in <see cref="Audio"/>, and nothing past the
    /// segment's end is this segment's business (a max-length cut can land behind what was already copied; the
    /// next segment starts there and needs that audio).
    /// </summary>
    public long HeldFrom
    {
        get
        {
            var end = End;
            var copied = Start + Volatile.Read(ref _archived);
            return end >= 0 ? Math.Min(copied, end) : copied;
        }
    }

    private long _archived;

    /// <summary>Records that the archive now holds <paramref name="samples"/> samples (dispatcher loop only).</summary>
    public void Archived(long samples) => Volatile.Write(ref _archived, samples);

    /// <summary>First sample (pre-roll included).</summary>
    public long Start { get; }


    /// <summary>One past the last sample, or -1 while speech goes on.</summary>
    public long End => Volatile.Read(ref _end);

    public SegmentEndReason Reason { get; private set; }

    /// <summary>Timestamp (TimeProvider) of the end decision: the start of the end-of-speech-to-final latency.</summary>
    public long EndedAt { get; private set; }

    public void Finish(long end, SegmentEndReason reason, long endedAt)
    {
        Reason = reason;
        EndedAt = endedAt;
        Volatile.Write(ref _end, end);
    }
}
