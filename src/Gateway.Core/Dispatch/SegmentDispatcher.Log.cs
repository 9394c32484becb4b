using Gateway.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Dispatch;

internal sealed partial class SegmentDispatcher
{
    private static partial class Log
    {
        [LoggerMessage(EventIds.SegmentReplayed, LogLevel.Warning, "Session {SessionId} segment {SegmentId}: upstream failed ({Error}) on attempt {Attempt}; replaying from its start")]
        public static partial void SegmentReplayed(ILogger logger, string sessionId, long segmentId, string error, int attempt);

        [LoggerMessage(EventIds.SegmentFailed, LogLevel.Warning, "Session {SessionId} segment {SegmentId}: not transcribed: {Error}")]
        public static partial void SegmentFailed(string sessionId, ILogger logger, long segmentId, string error);

        [LoggerMessage(EventIds.DispatcherFailed, LogLevel.Error, "Session {SessionId}: dispatcher failed")]
        public static partial void DispatcherFailed(ILogger logger, Exception exception, string sessionId);
    }
}
