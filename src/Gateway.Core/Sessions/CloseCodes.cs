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

    /// <summary>A resume was refused (error message with a <c>resume_*</c> code sent first).</summary>
    public const int ResumeRefused = 4002;
}
