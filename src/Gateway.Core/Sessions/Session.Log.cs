using Gateway.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Sessions;

public sealed partial class Session
{
    private static partial class Log
    {
        [LoggerMessage(EventIds.SessionStarted, LogLevel.Information, "Session {SessionId} started ({Protocol}, {Encoding} {SampleRate} Hz x{Channels})")]
        public static partial void SessionStarted(ILogger logger, string sessionId, string protocol, string encoding, int sampleRate, int channels);

        [LoggerMessage(EventIds.SessionEnded, LogLevel.Information, "Session {SessionId} ended: {Reason} after {AudioMs} ms of audio")]
        public static partial void SessionEnded(ILogger logger, string sessionId, string reason, long audioMs);

        [LoggerMessage(EventIds.ClientError, LogLevel.Information, "Session {SessionId} bad input {Code}: {Message}")]
        public static partial void ClientError(ILogger logger, string sessionId, string code, string message);

        [LoggerMessage(EventIds.ClientAborted, LogLevel.Information, "Session {SessionId} connection dropped: {Detail}")]
        public static partial void ClientAborted(ILogger logger, string sessionId, string detail);

        [LoggerMessage(EventIds.AudioOverflow, LogLevel.Warning, "Session {SessionId} ring overflow: dropped {DroppedMs} ms (total {TotalMs} ms)")]
        public static partial void Overflow(ILogger logger, string sessionId, long droppedMs, long totalMs);

        [LoggerMessage(EventIds.DrainTimedOut, LogLevel.Warning, "Session {SessionId} graceful close did not finish within {Seconds} s; closing anyway")]
        public static partial void DrainTimedOut(ILogger logger, string sessionId, double seconds);

        [LoggerMessage(EventIds.SessionFailed, LogLevel.Error, "Session {SessionId} failed")]
        public static partial void SessionFailed(ILogger logger, Exception exception, string sessionId);

        [LoggerMessage(EventIds.SessionKeyRevoked, LogLevel.Information, "Session {SessionId} ended: its key {KeyName} was revoked")]
        public static partial void KeyRevoked(ILogger logger, string sessionId, string keyName);
    }
}
