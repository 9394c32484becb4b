using Gateway.Upstream;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>Ready while at least one upstream endpoint's circuit is closed.</summary>
internal sealed class UpstreamReadiness(UpstreamClient upstream) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoints = string.Join(", ", upstream.Endpoints.Select(e => $"{e.Name} {(e.Healthy ? "up" : "down")}"));
        return Task.FromResult(upstream.IsReady ? HealthCheckResult.Healthy(endpoints) : HealthCheckResult.Unhealthy(endpoints));
    }
}
