namespace Gateway.Upstream.Diagnostics;

/// <summary>The steps of an utterance the micro-profile times.</summary>
public enum UpstreamPhase
{
    /// <summary>StartUtteranceAsync: selection, queueing, probing, connecting.</summary>
    Acquire,

    /// <summary>TCP + TLS + WebSocket handshake of a new connection.</summary>
    Connect,

    /// <summary>Framing the utterance-start config (it is flushed with the first audio).</summary>
    SendConfig,

    /// <summary>One PushAudioAsync: frame, mask, write.</summary>
    SendAudio,

    /// <summary>FinishAsync: the last audio and the end-of-speech message.</summary>
    SendEnd,

    /// <summary>From the start of the utterance to its first result event.</summary>
    FirstPartial,

    /// <summary>From the end of input to the terminal message.</summary>
    Final,

    /// <summary>Parsing one reply.</summary>
    Parse,
}
