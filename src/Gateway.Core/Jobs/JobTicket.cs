namespace Gateway.Core.Jobs;

/// <summary>A recording's place among background work: its remaining audio decides who goes first (shortest first).</summary>
/// <remarks><see cref="RemainingSamples"/> is written by the recording's transcription and read by the scheduler, any thread.</remarks>
public sealed class JobTicket
{
    private long _remaining = long.MaxValue / 4;

    /// <summary>16 kHz samples not transcribed yet (ffmpeg's duration estimate minus what is done).</summary>
    public long RemainingSamples
    {
        get => Volatile.Read(ref _remaining);
        set => Volatile.Write(ref _remaining, Math.Max(0, value));
    }
}
