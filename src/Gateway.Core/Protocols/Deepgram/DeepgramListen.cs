using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// A <c>/v1/listen</c> request's options, from its query string (docs/deepgram.md lists each parameter and what
/// the gateway does with it). <see cref="Settings"/> is what the pipeline needs; the rest shapes the replies.
/// </summary>
public sealed record DeepgramListen
{
    /// <summary>The pipeline settings: format (per stream: mono when multichannel), language, hotwords, interims, endpoint.</summary>
    public required StreamSettings Settings { get; init; }

    /// <summary>Request id reported in <c>dg-request-id</c> and every message's metadata.</summary>
    public required string RequestId { get; init; }

    /// <summary>The model the client asked for (reported back; FunASR decides what runs). Default <c>general</c>.</summary>
    public string Model { get; init; } = DeepgramQueryParser.DefaultModel;

    /// <summary>No <c>encoding</c>: the audio is a container (WAV, WebM, Ogg) decoded by ffmpeg.</summary>
    public bool Containerised { get; init; }

    /// <summary>Channels in the client's audio (<c>channels</c>, default 1).</summary>
    public int Channels { get; init; } = 1;

    /// <summary><c>multichannel=true</c>: each channel is its own stream with its own results.</summary>
    public bool Multichannel { get; init; }

    /// <summary><c>endpointing=false</c> turns <c>speech_final</c> off; segments still end on silence.</summary>
    public bool Endpointing { get; init; } = true;

    /// <summary><c>utterance_end_ms</c>; null when off.</summary>
    public int? UtteranceEndMs { get; init; }

    /// <summary><c>vad_events=true</c>: <c>SpeechStarted</c> messages.</summary>
    public bool VadEvents { get; init; }

    /// <summary><c>punctuate</c> or <c>smart_format</c>: transcripts keep the upstream's punctuation and words carry <c>punctuated_word</c>.</summary>
    public bool Punctuate { get; init; }

    /// <summary><c>utterances=true</c> (prerecorded): <c>results.utterances</c>, one per speech segment.</summary>
    public bool Utterances { get; init; }

    /// <summary><c>tag</c> values (usage accounting).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>extra=key:value</c> pairs, echoed in every result's metadata.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];

    /// <summary>Parameters accepted and ignored (known Deepgram features the gateway does not provide, and unknown names).</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>The streams this request makes: one, or one per channel with <c>multichannel=true</c>.</summary>
    public int Streams => Multichannel ? Channels : 1;
}
