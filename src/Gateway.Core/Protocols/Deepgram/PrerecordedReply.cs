namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// The answer to a prerecorded <c>POST /v1/listen</c>: 200 with Deepgram's response, 202 with the file job a long
/// recording became, or an error status with Deepgram's <c>err_code</c> and message (and, over a quota, when to retry).
/// </summary>
public sealed record PrerecordedReply(int Status, ReadOnlyMemory<byte> Body, string? ErrorCode = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static PrerecordedReply Refused(int status, string code, string message, TimeSpan? retryAfter = null) => new(status, ReadOnlyMemory<byte>.Empty, code, message, retryAfter);
}
