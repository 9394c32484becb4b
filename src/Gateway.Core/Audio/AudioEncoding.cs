namespace Gateway.Core.Audio;

/// <summary>Sample encodings a client may stream. Wire names are the lower-case constants.</summary>
public enum AudioEncoding
{
    /// <summary><c>pcm_s16le</c>: signed 16-bit little-endian PCM.</summary>
    PcmS16Le,

    /// <summary><c>f32le</c>: 32-bit little-endian IEEE float in [-1, 1].</summary>
    F32Le,

    /// <summary><c>u8</c>: unsigned 8-bit PCM, 128 = silence (WhisperLive's <c>uint8</c>).</summary>
    U8,

    /// <summary><c>s32le</c>: signed 32-bit little-endian PCM (Deepgram's <c>linear32</c>).</summary>
    S32Le,

    /// <summary><c>mulaw</c>: G.711 µ-law, 8 bits per sample (telephony).</summary>
    Mulaw,

    /// <summary><c>alaw</c>: G.711 A-law, 8 bits per sample (telephony).</summary>
    Alaw,
}

/// <summary>Wire names of <see cref="AudioEncoding"/>.</summary>
public static class AudioEncodingNames
{
    public const string PcmS16Le = "pcm_s16le";
    public const string F32Le = "f32le";
    public const string U8 = "u8";
    public const string S32Le = "s32le";
    public const string Mulaw = "mulaw";
    public const string Alaw = "alaw";

    public static bool TryParse(string? name, out AudioEncoding encoding)
    {
        switch (name)
        {
            case PcmS16Le: encoding = AudioEncoding.PcmS16Le; return true;
            case F32Le: encoding = AudioEncoding.F32Le; return true;
            case U8: encoding = AudioEncoding.U8; return true;
            case S32Le: encoding = AudioEncoding.S32Le; return true;
            case Mulaw: encoding = AudioEncoding.Mulaw; return true;
            case Alaw: encoding = AudioEncoding.Alaw; return true;
            default: encoding = default; return false;
        }
    }

    public static string Name(this AudioEncoding encoding) => encoding switch
    {
        AudioEncoding.PcmS16Le => PcmS16Le,
        AudioEncoding.F32Le => F32Le,
        AudioEncoding.U8 => U8,
        AudioEncoding.S32Le => S32Le,
        AudioEncoding.Mulaw => Mulaw,
        AudioEncoding.Alaw => Alaw,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    public static int BytesPerSample(this AudioEncoding encoding) => encoding switch
    {
        AudioEncoding.PcmS16Le => 2,
        AudioEncoding.F32Le => 4,
        AudioEncoding.U8 or AudioEncoding.Mulaw or AudioEncoding.Alaw => 1,
        AudioEncoding.S32Le => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };
}
