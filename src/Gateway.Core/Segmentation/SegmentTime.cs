namespace Gateway.Core.Segmentation;

/// <summary>Sample positions and durations at 16 kHz.</summary>
internal static class SegmentTime
{
    public const int SampleRate = 16_000;
    public const int SamplesPerMs = SampleRate / 1000;

    // 1 sample = 625 ticks exactly at 16 kHz.
    public static TimeSpan ToTime(long position) => TimeSpan.FromTicks(position * (TimeSpan.TicksPerSecond / SampleRate));

    public static long ToSamples(int milliseconds) => (long)milliseconds * SamplesPerMs;
}
