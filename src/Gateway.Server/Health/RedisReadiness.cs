using Gateway.Core.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>
/// The fleet's Redis (docs/scale-out.md §5): Degraded, not Unhealthy, when it does not answer. Every gateway of the
/// fleet sees the same outage, so failing readiness would take the whole service out of rotation; live sessions
/// keep working and rooms refuse new participants and viewers clearly until Redis is back.
/// </summary>
internal sealed class RedisReadiness(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.Enabled)
        {
            return HealthCheckResult.Healthy("not configured (single gateway)");
        }

        return await redis.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy("up")
            : HealthCheckResult.Degraded("unreachable: room participants and viewers are refused (1013), live sessions continue");
    }
}
