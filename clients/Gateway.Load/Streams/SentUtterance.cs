namespace Gateway.Load.Streams;

/// <summary>An utterance a stream sent completely: its tokens and when its first and last speech samples left.</summary>
/// <param name="SpeechStartSentAt">Stopwatch timestamp at which the first speech sample was due (spoken): the send of its
/// frame minus the samples after it in that frame.</param>
/// <param name="SpeechEndSentAt">Stopwatch timestamp at which the last speech sample was due (spoken).</param>
/// <param name="SpeechEndStreamMs">Where the speech ends in the stream's audio (ms since the session started), the gateway's clock.</param>
internal sealed record SentUtterance(IReadOnlyList<string> Tokens, long SpeechStartSentAt, long SpeechEndSentAt, double SpeechEndStreamMs);
