using Gateway.Core.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>
/// The fleet's Redis (docs/scale-out.md §5): Degraded, not Unhealthy, when it does not answer. Every gateway of the
/// fleet sees the same outage, so failing readiness would take the whole service out of rotation; live sessions
/// keep working and rooms refuse new participants and viewers clearly until Redis is back.
/// </summary>
internal sealed class RedisReadiness(RedisConnection redis, Gateway.Core.Admission.FleetSlots fleet) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.Enabled)
        {
            return HealthCheckResult.Healthy("not configured (single gateway)");
        }

        if (await redis.PingAsync(cancellationToken))
        {
            return !fleet.Enabled ? HealthCheckResult.Healthy("up")
                : fleet.Degraded ? HealthCheckResult.Degraded("up; fleet admission still on this gateway's own limits (until its next heartbeat)")
                : HealthCheckResult.Healthy("up; fleet admission");
        }

        return HealthCheckResult.Degraded(fleet.Enabled
            ? "unreachable: room participants and viewers are refused (1013); fleet admission degraded to this gateway's own limits; live sessions continue"
            : "unreachable: room participants and viewers are refused (1013), live sessions continue");
    }
}
