using Gateway.Core.Auth;
using Gateway.Core.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Server.Health;

/// <summary>
/// <c>/healthz</c>: the process is up (no checks). <c>/readyz</c>: every health check tagged
/// <see cref="ReadinessTag"/> is healthy; later stages register theirs (VAD model loaded, an upstream healthy).
/// <c>/metrics</c>: Prometheus text format.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadinessTag = "ready";

    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymousCaller();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = WriteReadinessAsync,
        }).AllowAnonymousCaller();
        app.MapGet("/metrics", (PrometheusExporter exporter) =>
            Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8")).RequireScope(Scopes.Metrics);
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.RequestServices.GetRequiredService<ReadinessLog>().Observe(report);
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status}{(e.Value.Description is { } d ? " - " + d : "")}");
        return context.Response.WriteAsync($"{report.Status}\n{string.Join('\n', lines)}\n");
    }
}
