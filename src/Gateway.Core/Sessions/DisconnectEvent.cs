using Gateway.Core.Admission;
using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>The server ends the session (time limit, idle, shutdown); a close follows.</summary>
public sealed record DisconnectEvent(DisconnectReason Reason, string Message) : ServerEvent;
