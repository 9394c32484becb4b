using Gateway.Core.Auth;
using Gateway.Core.Dashboard;
using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;

namespace Gateway.Server.Endpoints;

/// <summary>
/// The live dashboard (docs/jobs.md, Dashboard): the page at <c>/dashboard/</c> (static files under <c>Dashboard/</c>,
/// embedded) and its data at <c>GET /api/v1/dashboard</c>, the <see cref="DashboardSampler"/>'s ring plus the newest jobs.
/// The page's files hold no data and are open to anyone; the data need the <c>admin</c> scope, which the page sends as
/// <c>Authorization: Bearer</c> (docs/jobs.md, Dashboard; docs/security.md).
/// </summary>
internal static class DashboardEndpoints
{
    public const string Prefix = "/dashboard/";
    public const int JobRows = 20;

    private static readonly EmbeddedPage Page = new("dashboard/");

    public static void MapDashboard(this WebApplication app)
    {
        // The template matches /dashboard and /dashboard/ alike; the page names its assets by absolute path.
        app.MapGet(Prefix, (HttpContext context) => Page.ServeAsync(context, EmbeddedPage.Index)).AllowAnonymousCaller().ExcludeFromDescription();
        app.MapGet(Prefix + "{file}", (HttpContext context, string file) => Page.ServeAsync(context, file)).AllowAnonymousCaller().ExcludeFromDescription();
        app.MapGet("/api/v1/dashboard", DataAsync).WithTags("dashboard").RequireScope(Scopes.Admin)
            .WithSummary("The last minutes, one sample a second (CPU, memory, sessions, rooms, jobs, upstream, latency, throughput), the last errors and the newest jobs")
            .Produces<DashboardData>();
    }

    private static async Task<IResult> DataAsync(DashboardSampler sampler, JobService jobs, CancellationToken cancellationToken)
    {
        var page = await jobs.Store.ListAsync(new JobQuery(1, JobRows), cancellationToken);
        var rows = page.Items.Select(job => new DashboardJob(
            job.Id,
            JobResults.StatusName(job.Status),
            // A job running here reports live progress; the store's is the last lease renewal.
            Math.Round((jobs.Activity.ProgressOf(job.Id)?.Fraction ?? job.Progress) * 100, 1),
            job.Submission.FileName,
            job.DurationSeconds,
            job.CreatedAt)).ToList();
        return JobResults.Ok(new DashboardData(DashboardSampler.Period.TotalSeconds, sampler.Samples, sampler.Errors, rows, page.Total));
    }

    internal sealed record DashboardData(double PeriodSeconds, IReadOnlyList<DashboardSample> Samples, IReadOnlyList<DashboardError> Errors, IReadOnlyList<DashboardJob> Jobs, int JobsTotal);

    internal sealed record DashboardJob(string TaskId, string Status, double Progress, string Filename, double? Duration, DateTimeOffset CreatedAt);
}
