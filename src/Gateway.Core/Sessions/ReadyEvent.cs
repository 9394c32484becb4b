using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>The session is configured and streaming may begin.</summary>
public sealed record ReadyEvent(string SessionId, StreamSettings Settings, DateTimeOffset ExpiresAt, int RingSamples) : ServerEvent;
