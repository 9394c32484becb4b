namespace Gateway.Core.Segmentation;

/// <summary>A finished segment of a stream, in absolute sample positions (16 kHz) and stream times.</summary>
/// <param name="StartPosition">First sample of the segment's audio (pre-roll included).</param>
/// <param name="EndPosition">One past the last sample of the segment's audio (post-roll included).</param>
/// <param name="SpeechStartPosition">Where speech was detected to start (no padding).</param>
/// <param name="SpeechEndPosition">Where speech was detected to end (no padding): the start of the silence that ended it, or the cut.</param>
/// <param name="Reason">Why it ended.</param>
public readonly record struct SpeechSegment(
    long StartPosition,
    long EndPosition,
    long SpeechStartPosition,
    long SpeechEndPosition,
    SegmentEndReason Reason)
{
    public TimeSpan Start => SegmentTime.ToTime(StartPosition);

    public TimeSpan End => SegmentTime.ToTime(EndPosition);

    public TimeSpan SpeechStart => SegmentTime.ToTime(SpeechStartPosition);

    public TimeSpan SpeechEnd => SegmentTime.ToTime(SpeechEndPosition);

    /// <summary>Length of the segment's audio in samples.</summary>
    public long Samples => EndPosition - StartPosition;
}
