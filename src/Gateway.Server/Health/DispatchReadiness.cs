using System.Globalization;
using Gateway.Core.Admission;
using Gateway.Core.Dispatch;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>
/// Ready only while the gateway can transcribe and is not stopping: unhealthy at once on SIGTERM (during
/// <c>Sessions:PreStopDelay</c> it still serves), and unhealthy while a segment has waited longer than
/// <c>Dispatch:ReadinessStallAfter</c> for an upstream with no final coming back in that time.
/// </summary>
internal sealed class DispatchReadiness(DispatchServices dispatch, GatewayShutdown shutdown) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (shutdown.StopRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("stopping: finishing the sessions it has, admitting none soon", data: ReadinessLog.Expected));
        }

        var time = dispatch.Time;
        var stall = dispatch.Options.ReadinessStallAfter;
        var waiting = dispatch.Queue.Count;
        if (dispatch.Queue.OldestSpokenAt is { } oldest && time.GetElapsedTime(oldest) > stall
            && (dispatch.LastFinalAt == 0 || time.GetElapsedTime(dispatch.LastFinalAt) > stall))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"{waiting} segment(s) waiting for an upstream, the oldest for {time.GetElapsedTime(oldest).TotalSeconds:0} s, and no final in {stall.TotalSeconds:0} s")));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{waiting} segment(s) waiting for an upstream"));
    }
}
