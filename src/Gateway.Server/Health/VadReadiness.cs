using Gateway.Core.Vad;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>Ready once the Silero model is loaded and the VAD workers run.</summary>
internal sealed class VadReadiness(VadScheduler scheduler) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(scheduler.IsModelLoaded
            ? HealthCheckResult.Healthy($"{scheduler.StreamCount} streams")
            : HealthCheckResult.Unhealthy("VAD model not loaded"));
}
