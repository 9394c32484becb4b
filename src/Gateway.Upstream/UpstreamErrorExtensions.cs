namespace Gateway.Upstream;

/// <summary>Classification helpers for <see cref="UpstreamError"/>.</summary>
public static class UpstreamErrorExtensions
{
    /// <summary>True when replaying the utterance on a new lease can succeed.</summary>
    public static bool IsRetryable(this UpstreamError error) => error is not (UpstreamError.None or UpstreamError.Cancelled or UpstreamError.Disposed);

    /// <summary>True when the failure counts against the endpoint's health.</summary>
    internal static bool BlamesUpstream(this UpstreamError error) => error is UpstreamError.ConnectionLost or UpstreamError.ResultTimeout
        or UpstreamError.ProtocolViolation or UpstreamError.ConnectFailed or UpstreamError.ConnectTimedOut or UpstreamError.TlsRejected
        or UpstreamError.HandshakeFailed;

    internal static bool IsTimeout(this UpstreamError error) => error is UpstreamError.ResultTimeout or UpstreamError.ConnectTimedOut or UpstreamError.QueueTimeout;
}
