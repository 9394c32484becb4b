using Microsoft.Extensions.Logging;

namespace Gateway.Core.Vad;

public sealed partial class VadScheduler
{
    /// <summary>Event ids 3000-3099 belong to the VAD.</summary>
    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Information, "VAD model {Path} loaded into {Workers} worker session(s) in {ElapsedMs:F0} ms")]
        public static partial void ModelLoaded(ILogger logger, string path, int workers, double elapsedMs);

        [LoggerMessage(3001, LogLevel.Information, "VAD scheduler started: {Workers} worker(s), tick {TickMs} ms, max batch {MaxBatch}, energy gate {GateEnabled}")]
        public static partial void Started(ILogger logger, int workers, int tickMs, int maxBatch, bool gateEnabled);

        [LoggerMessage(3002, LogLevel.Error, "VAD tick failed; the windows will be retried on the next tick")]
        public static partial void TickFailed(ILogger logger, Exception exception);

        [LoggerMessage(3003, LogLevel.Error, "A VAD sink threw; its stream was removed from the VAD")]
        public static partial void SinkFailed(ILogger logger, Exception exception);

        [LoggerMessage(3004, LogLevel.Warning, "{Windows} VAD window(s) were released from a ring before they were classified")]
        public static partial void WindowsLost(ILogger logger, long windows);
    }
}
