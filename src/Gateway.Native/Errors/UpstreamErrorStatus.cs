using Gateway.Upstream;

namespace Gateway.Native.Errors;

internal static class UpstreamErrorStatus
{
    /// <summary>The C code for an upstream failure.</summary>
    public static FunAsrStatus ToStatus(this UpstreamError error) => error switch
    {
        UpstreamError.None => FunAsrStatus.Ok,
        UpstreamError.ConnectionLost => FunAsrStatus.ConnectionLost,
        UpstreamError.ResultTimeout => FunAsrStatus.ResultTimeout,
        UpstreamError.ProtocolViolation => FunAsrStatus.ProtocolViolation,
        UpstreamError.ConnectFailed => FunAsrStatus.ConnectFailed,
        UpstreamError.ConnectTimedOut => FunAsrStatus.ConnectTimeout,
        UpstreamError.TlsRejected => FunAsrStatus.TlsRejected,
        UpstreamError.HandshakeFailed => FunAsrStatus.HandshakeFailed,
        UpstreamError.QueueTimeout or UpstreamError.QueueFull => FunAsrStatus.Busy,
        UpstreamError.CircuitOpen => FunAsrStatus.Unavailable,
        UpstreamError.Cancelled or UpstreamError.Disposed => FunAsrStatus.ShutDown,
        _ => FunAsrStatus.Internal,
    };

    /// <summary>What <c>total_timeout</c> counts: every bounded wait that ran out.</summary>
    public static bool IsTimeout(this UpstreamError error) =>
        error is UpstreamError.ResultTimeout or UpstreamError.ConnectTimedOut or UpstreamError.QueueTimeout;
}
