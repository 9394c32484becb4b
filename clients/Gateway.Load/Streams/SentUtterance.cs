namespace Gateway.Load.Streams;

/// <summary>An utterance a stream sent completely: its tokens and when its first and last speech samples left.</summary>
/// <param name="SpeechStartSentAt">Stopwatch timestamp of the send of the frame holding the first speech sample.</param>
/// <param name="SpeechEndSentAt">Stopwatch timestamp of the send of the frame holding the last speech sample.</param>
internal sealed record SentUtterance(IReadOnlyList<string> Tokens, long SpeechStartSentAt, long SpeechEndSentAt);
