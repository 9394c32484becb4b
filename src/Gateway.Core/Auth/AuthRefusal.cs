namespace Gateway.Core.Auth;

/// <summary>Why a caller is refused: the HTTP status (401, 403, 429), Deepgram's <c>err_code</c>, the message and, over a quota, when to retry.</summary>
public sealed record AuthRefusal(int Status, string Code, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>The WebSocket close code of a refusal after the upgrade (start-message credential): 4000 + the HTTP status's last three digits (4401, 4403, 4429).</summary>
    public int CloseCode => 4000 + (Status % 1000);
}
