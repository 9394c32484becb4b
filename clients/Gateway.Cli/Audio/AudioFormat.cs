namespace Gateway.Cli.Audio;

/// <summary>What the client sends: 16 kHz mono PCM16 little-endian, the gateway's native rate (no resampling there).</summary>
internal static class AudioFormat
{
    public const int SampleRate = 16000;

    public const int BytesPerSecond = SampleRate * 2;

    /// <summary>100 ms frames: small enough for live captions, large enough to keep the message rate low.</summary>
    public const int FrameBytes = BytesPerSecond / 10;
}
