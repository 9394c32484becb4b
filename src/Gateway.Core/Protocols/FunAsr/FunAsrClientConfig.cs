namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// The fields of one config message a FunASR client sent that the gateway uses; null where the message had none.
/// (What the gateway sends upstream is <c>Gateway.Upstream.Protocol.FunAsrConfigMessages</c>.)
/// </summary>
internal sealed record FunAsrClientConfig
{
    public string? WavName { get; init; }

    public string? Mode { get; init; }

    /// <summary>True for <c>pcm</c>/<c>wav</c> (any case): raw PCM16, possibly behind a WAV header.</summary>
    public bool? Pcm { get; init; }

    public int? AudioFs { get; init; }

    public IReadOnlyDictionary<string, int>? Hotwords { get; init; }

    /// <summary>SenseVoice's <c>svs_lang</c>, used as the language hint unless <c>auto</c>.</summary>
    public string? Language { get; init; }

    /// <summary><c>is_speaking:false</c> or <c>is_finished:true</c>: end of speech (EOS).</summary>
    public bool EndOfSpeech { get; init; }

    /// <summary><c>is_end:true</c> with the EOS: the client wants an acknowledgement after the terminal message.</summary>
    public bool AckRequested { get; init; }
}
