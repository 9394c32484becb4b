using Gateway.Upstream.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Upstream.Pooling;

internal sealed partial class EndpointPool
{
    private static partial class Log
    {
        [LoggerMessage(UpstreamEventIds.AcceptAnyCertificate, LogLevel.Warning, "Upstream {Endpoint}: AcceptAnyCertificate is on; the server certificate is NOT verified (use Tls:PinnedThumbprint instead).")]
        public static partial void AcceptAnyCertificate(ILogger logger, string endpoint);

        [LoggerMessage(UpstreamEventIds.Connected, LogLevel.Debug, "Upstream {Endpoint}: connected.")]
        public static partial void Connected(ILogger logger, string endpoint);

        [LoggerMessage(UpstreamEventIds.ConnectFailed, LogLevel.Warning, "Upstream {Endpoint}: connect failed ({Error}).")]
        public static partial void ConnectFailed(ILogger logger, string endpoint, UpstreamError error, Exception exception);

        [LoggerMessage(UpstreamEventIds.CircuitOpened, LogLevel.Warning, "Upstream {Endpoint}: circuit opened after {Error}; probing from {OpenFor} on.")]
        public static partial void CircuitOpened(ILogger logger, string endpoint, UpstreamError error, TimeSpan openFor);

        [LoggerMessage(UpstreamEventIds.CircuitClosed, LogLevel.Information, "Upstream {Endpoint}: circuit closed, endpoint healthy again.")]
        public static partial void CircuitClosed(ILogger logger, string endpoint);

        [LoggerMessage(UpstreamEventIds.WarmUpFailed, LogLevel.Warning, "Upstream {Endpoint}: warm-up stopped ({Error}).")]
        public static partial void WarmUpFailed(ILogger logger, string endpoint, UpstreamError error);

        [LoggerMessage(UpstreamEventIds.LimitCut, LogLevel.Information, "Upstream {Endpoint}: a final came {Latency} after the end of input; in-flight limit cut from {Before} to {After}.")]
        public static partial void LimitCut(ILogger logger, string endpoint, int before, int after, TimeSpan latency);

        [LoggerMessage(UpstreamEventIds.ProbeFailed, LogLevel.Information, "Upstream {Endpoint}: an idle connection failed its ping probe and was replaced.")]
        public static partial void ProbeFailed(ILogger logger, string endpoint);

        [LoggerMessage(UpstreamEventIds.Evicted, LogLevel.Debug, "Upstream {Endpoint}: evicted {Count} idle connection(s).")]
        public static partial void Evicted(ILogger logger, string endpoint, int count);

        [LoggerMessage(UpstreamEventIds.RecoveryProbeFailed, LogLevel.Debug, "Upstream {Endpoint}: still unreachable ({Error}); next probe in {Delay}.")]
        public static partial void RecoveryProbeFailed(ILogger logger, string endpoint, string error, TimeSpan delay);

        [LoggerMessage(UpstreamEventIds.HotwordSetEvicted, LogLevel.Debug, "Upstream {Endpoint}: {Count} idle connection(s) of the least recently used hotword set closed (MaxHotwordSets {Max}).")]
        public static partial void HotwordSetEvicted(ILogger logger, string endpoint, int count, int max);
    }
}
