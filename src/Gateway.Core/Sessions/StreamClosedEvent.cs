using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>
/// The client's graceful close was handled: every result has been sent and the close frame follows.
/// <paramref name="AudioSamples"/> is the accepted audio (16 kHz samples). Deepgram answers it with its
/// <c>Metadata</c> summary; the other protocols have nothing to say.
/// </summary>
public sealed record StreamClosedEvent(long AudioSamples) : ServerEvent;
