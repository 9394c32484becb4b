namespace Gateway.Core.Segmentation;

/// <summary>A segment has started.</summary>
/// <param name="StartPosition">Absolute sample position where the segment's audio starts (pre-roll included).</param>
/// <param name="SpeechPosition">Absolute sample position where speech was detected (no padding).</param>
public readonly record struct SpeechStart(long StartPosition, long SpeechPosition)
{
    /// <summary>Stream time of <see cref="StartPosition"/>.</summary>
    public TimeSpan Start => SegmentTime.ToTime(StartPosition);

    /// <summary>Stream time of <see cref="SpeechPosition"/>.</summary>
    public TimeSpan Speech => SegmentTime.ToTime(SpeechPosition);
}
