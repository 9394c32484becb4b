namespace Gateway.Core.Sessions;

/// <summary>WebSocket close codes the gateway uses (documented in docs/protocol.md).</summary>
public static class CloseCodes
{
    public const int Normal = 1000;
    /// <summary>The gateway is shutting down (DISCONNECT <c>server_shutdown</c> sent first); connect again later.</summary>
    public const int GoingAway = 1001;
    public const int UnsupportedData = 1003;
    public const int InvalidPayload = 1007;
    public const int PolicyViolation = 1008;
    public const int MessageTooBig = 1009;
    public const int InternalError = 1011;

    /// <summary>Server full: the client got a WAIT message with the estimated wait.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>Max connection time reached (DISCONNECT message sent first).</summary>
    public const int MaxConnectionTime = 4000;

    /// <summary>No audio for the idle timeout (DISCONNECT message sent first).</summary>
    public const int IdleTimeout = 4001;

    /// <summary>
    /// No valid credential (native start-message <c>token</c> missing or wrong), or the key was revoked mid-session
    /// (DISCONNECT <c>key_revoked</c> sent first). The HTTP status plus 4000, as 4403 and 4429.
    /// </summary>
    public const int Unauthorized = 4401;

    /// <summary>The credential lacks the scope, or a room grant names another room (error sent first).</summary>
    public const int Forbidden = 4403;

    /// <summary>The key is over a quota (error <c>quota_exceeded</c> sent first; retry later).</summary>
    public const int QuotaExceeded = 4429;

    /// <summary>A resume was refused (error message with a <c>resume_*</c> code sent first).</summary>
    public const int ResumeRefused = 4002;
}
