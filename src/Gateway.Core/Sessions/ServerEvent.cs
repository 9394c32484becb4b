using Gateway.Core.Admission;

namespace Gateway.Core.Sessions;

/// <summary>Something the gateway tells a client; each protocol adapter renders it in its own wire format.</summary>
public abstract record ServerEvent;

/// <summary>The session is configured and streaming may begin.</summary>
public sealed record ReadyEvent(string SessionId, StreamSettings Settings, DateTimeOffset ExpiresAt, int RingSamples) : ServerEvent;

/// <summary>The server is full; the socket closes with <see cref="CloseCodes.TryAgainLater"/>.</summary>
public sealed record WaitEvent(TimeSpan EstimatedWait, int MaxClients) : ServerEvent;

/// <summary>Bad input or a failure. Fatal errors are followed by a close.</summary>
public sealed record ErrorEvent(string Code, string Message, bool Fatal) : ServerEvent;

/// <summary>The server ends the session (time limit, idle, shutdown); a close follows.</summary>
public sealed record DisconnectEvent(DisconnectReason Reason, string Message) : ServerEvent;

/// <summary>Audio was dropped because the session's ring was full.</summary>
public sealed record OverflowEvent(long DroppedSamples, long TotalDroppedSamples) : ServerEvent;

/// <summary>A finalize was handled: every result for audio before <see cref="AudioSamples"/> has been sent.</summary>
public sealed record FlushedEvent(long AudioSamples) : ServerEvent;

/// <summary>VAD found speech. Times are 16 kHz sample positions in the session's accepted audio; the start includes pre-roll.</summary>
public sealed record SpeechStartedEvent(long SegmentId, long StartSample) : ServerEvent;

/// <summary>A speech segment ended (<paramref name="Cause"/>: <c>endpoint</c>, <c>max_length</c> or <c>finalize</c>).</summary>
public sealed record SpeechEndedEvent(long SegmentId, long StartSample, long EndSample, string Cause) : ServerEvent;

/// <summary>The current, still-changing text of a segment (the whole text so far, not a delta).</summary>
public sealed record PartialEvent(long SegmentId, string Text, long StartSample, long EndSample) : ServerEvent;

/// <summary>A segment's text, exactly once per segment; its sentences carry their own times.</summary>
public sealed record FinalEvent(long SegmentId, string Text, long StartSample, long EndSample, IReadOnlyList<Sentence> Sentences) : ServerEvent;

/// <summary>One recognised sentence of a segment, in stream time.</summary>
public sealed record Sentence(string Text, long StartSample, long EndSample);

/// <summary>A segment could not be transcribed (no upstream took it in time); the session continues.</summary>
public sealed record SegmentFailedEvent(long SegmentId, long StartSample, long EndSample, string Code, string Message) : ServerEvent;
