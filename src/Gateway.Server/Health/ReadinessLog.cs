using System.Collections.Concurrent;
using Gateway.Core.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>
/// Logs each readiness check once per change of its status, not once per probe: a load balancer asks
/// <c>/readyz</c> every second, and a draining gateway is unready for the whole drain (docs/deployment.md). The
/// framework's own per-probe line is silenced (<see cref="FrameworkCategory"/>).
/// </summary>
/// <remarks>
/// Levels: a check that turns unhealthy or degraded is a Warning, unless its result says the state is
/// <see cref="Expected"/> (stopping: the operator asked for it), then Information; back to healthy is Information.
/// The first probe after start logs only a check that is not healthy.
/// </remarks>
internal sealed partial class ReadinessLog(ILogger<ReadinessLog> logger)
{
    /// <summary>The category of ASP.NET Core's health check service, which logs every unhealthy probe at Error.</summary>
    public const string FrameworkCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    /// <summary>Result data of a state the gateway was asked to enter (drain): logged at Information.</summary>
    public static IReadOnlyDictionary<string, object> Expected { get; } = new Dictionary<string, object> { ["expected"] = true };

    private readonly ConcurrentDictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);

    public void Observe(HealthReport report)
    {
        foreach (var (name, entry) in report.Entries)
        {
            var status = entry.Status;
            var first = !_last.TryGetValue(name, out var previous);
            if ((first && status == HealthStatus.Healthy) || (!first && previous == status) || !Swap(name, first, previous, status))
            {
                continue;
            }

            var description = entry.Description ?? entry.Exception?.Message ?? "";
            if (status == HealthStatus.Healthy || entry.Data.ContainsKey("expected"))
            {
                Log.ChangedExpected(logger, name, status, description);
            }
            else
            {
                Log.Changed(logger, name, status, description);
            }
        }
    }

    // Concurrent probes: only the one that moves the recorded status logs the change.
    private bool Swap(string name, bool first, HealthStatus previous, HealthStatus status) =>
        first ? _last.TryAdd(name, status) : _last.TryUpdate(name, status, previous);

    private static partial class Log
    {
        [LoggerMessage(EventIds.ReadinessChanged, LogLevel.Information, "Readiness check {Check} is now {Status}: {Description}")]
        public static partial void ChangedExpected(ILogger logger, string check, HealthStatus status, string description);

        [LoggerMessage(EventIds.ReadinessChanged, LogLevel.Warning, "Readiness check {Check} is now {Status}: {Description}")]
        public static partial void Changed(ILogger logger, string check, HealthStatus status, string description);
    }
}
