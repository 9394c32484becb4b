namespace Gateway.Core.Audio;

/// <summary>What a client streams: encoding, rate and channel count. The gateway converts it to 16 kHz mono PCM16.</summary>
public readonly record struct AudioFormat(AudioEncoding Encoding, int SampleRate, int Channels)
{
    /// <summary>The gateway's internal format, and the default for clients.</summary>
    public const int PipelineRate = 16_000;

    /// <summary>Sample rates a client may declare.</summary>
    public static readonly IReadOnlyList<int> SupportedRates = [8_000, 16_000, 22_050, 44_100, 48_000];

    public static AudioFormat Pipeline => new(AudioEncoding.PcmS16Le, PipelineRate, 1);

    /// <summary>Bytes of one sample frame (one sample per channel).</summary>
    public int FrameBytes => Encoding.BytesPerSample() * Channels;
}
