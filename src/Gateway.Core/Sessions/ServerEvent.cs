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
