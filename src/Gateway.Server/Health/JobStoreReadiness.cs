using Gateway.Core.Jobs.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>Ready while the job store answers (always for SQLite; Redis reachable otherwise).</summary>
internal sealed class JobStoreReadiness(IJobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.PingAsync(cancellationToken) ? HealthCheckResult.Healthy("job store up") : HealthCheckResult.Unhealthy("job store unreachable");
}
