namespace Gateway.Core.Protocols.Deepgram;

/// <summary>Close-frame reasons in Deepgram's style; clients key on the code before the colon.</summary>
internal static class DeepgramCloseReasons
{
    /// <summary>No audio and no text message for the idle timeout (close 1011).</summary>
    public const string NoAudio = "NET-0001: no audio or KeepAlive received within the timeout";

    /// <summary>Bad data or a bad control message (close 1008); the gateway's error code follows.</summary>
    public const string BadData = "DATA-0000";

    /// <summary>A fault inside the gateway (close 1011).</summary>
    public const string Internal = "NET-0000: internal error";

    /// <summary>The gateway's maximum connection time (Admission:MaxConnectionTime) was reached (close 1011).</summary>
    public const string MaxDuration = "NET-0002: maximum connection time reached";

    /// <summary>The API key (or the key behind the grant) was revoked mid-session (close 1008).</summary>
    public const string KeyRevoked = "INVALID_AUTH: the API key was revoked";
}
