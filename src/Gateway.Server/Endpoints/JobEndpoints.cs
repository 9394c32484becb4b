using Gateway.Core.Auth;
using Gateway.Core.Fetching;
using System.Text.Json;
using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Formats;
using Gateway.Core.Jobs.Store;
using Gateway.Core.Vad;
using Gateway.Upstream;
using static Gateway.Server.Endpoints.JobResults;

namespace Gateway.Server.Endpoints;

/// <summary>
/// File transcription jobs over REST, path-compatible with the FastAPI + Redis Streams microservice
/// (<c>/api/v1/asr/...</c>), plus subtitle downloads and server-sent progress events. docs/jobs.md.
/// </summary>
internal static class JobEndpoints
{

    public static void MapJobEndpoints(this WebApplication app)
    {
        var asr = app.MapGroup("/api/v1/asr").WithTags("jobs").RequireScope(Scopes.Jobs);
        asr.MapPost("/submit", SubmitAsync).DisableAntiforgery().CountsAsJob()
            .WithSummary("Submit a recording: multipart field 'audio', or JSON {\"url\"} fetched by the gateway; fields language, hotwords, priority, callback_url, output_format")
            .Produces<SubmitResult>().Produces<ErrorBody>(400).Produces<ErrorBody>(413).Produces<ErrorBody>(415).Produces<ErrorBody>(422).Produces<ErrorBody>(502).Produces<ErrorBody>(503).Produces<ErrorBody>(507);
        asr.MapGet("/result/{task_id}", ResultAsync)
            .WithSummary("A job's status, progress and result; ?format=srt|vtt|txt|json")
            .Produces<TaskResult>().Produces<string>(200, "application/x-subrip", "text/vtt", "text/plain").Produces<ErrorBody>(404).Produces<ErrorBody>(409);
        asr.MapGet("/history", HistoryAsync).WithSummary("Jobs, newest first; ?page=&page_size=&status=").Produces<HistoryResult>().Produces<ErrorBody>(400);
        asr.MapGet("/audio/{task_id}", AudioAsync).WithSummary("The original upload").Produces(200, contentType: "application/octet-stream").Produces<ErrorBody>(404);
        asr.MapGet("/queue/status", QueueAsync).WithSummary("Jobs by status").Produces<QueueResult>();
        asr.MapPost("/retry/{task_id}", RetryAsync).WithSummary("Queue a finished job again (409 while queued or processing)")
            .Produces<RetryResponse>().Produces<ErrorBody>(404).Produces<ErrorBody>(409);
        asr.MapDelete("/task/{task_id}", DeleteAsync).WithSummary("Delete a job and its upload; a running job is cancelled")
            .Produces<DeleteResponse>().Produces<ErrorBody>(404);
        asr.MapGet("/events/{task_id}", EventsAsync).WithSummary("Server-sent events: progress until done or failed")
            .Produces(200, contentType: "text/event-stream").Produces<ErrorBody>(404);
        app.MapGet("/api/v1/stats", StatsAsync).WithTags("jobs").RequireScope(Scopes.Jobs).WithSummary("Jobs and upstream counters").Produces<StatsResult>();
        app.MapGet("/api/v1/health", HealthAsync).WithTags("jobs").AllowAnonymousCaller().WithSummary("Store, upstream and VAD health (503 when not ready)")
            .Produces<HealthResult>().Produces<HealthResult>(503);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, JobService jobs, SafeFetcher fetcher)
    {
        var received = JobUrlUpload.IsJson(context) ? await JobUrlUpload.ReadAsync(context, jobs, fetcher) : await JobUpload.ReadAsync(context, jobs);
        if (received.Error is { } error)
        {
            return error;
        }

        if (jobs.CheckCallback(received.Submission!.CallbackUrl) is { } refused)
        {
            File.Delete(received.Path!);
            return Problem(StatusCodes.Status422UnprocessableEntity, refused);
        }

        return await Guarded(async () =>
        {
            try
            {
                var (job, position) = await jobs.SubmitAsync(received.Submission!, received.Path!, context.RequestAborted);
                return Ok(new SubmitResult(job.Id, StatusName(job.Status), position));
            }
            catch (MediaDecodeException ex)
            {
                return Problem(ex.Unsupported ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status422UnprocessableEntity, ex.Message);
            }
            catch (DiskQuotaExceededException ex)
            {
                return Problem(StatusCodes.Status507InsufficientStorage, ex.Message);
            }
        });
    }

    private static Task<IResult> ResultAsync(string task_id, string? format, JobService jobs, CancellationToken cancellationToken) => Guarded(async () =>
    {
        format = (format ?? TranscriptFormat.Json).ToLowerInvariant();
        if (!TranscriptFormat.All.Contains(format))
        {
            return Problem(StatusCodes.Status400BadRequest, $"format must be srt, vtt, txt or json (was '{format}')");
        }

        if (await FindAsync(task_id, jobs, cancellationToken) is not { } job)
        {
            return NotFound(task_id);
        }

        if (format == TranscriptFormat.Json)
        {
            return Ok(Task(job, await jobs.Store.QueuePositionAsync(job.Id, cancellationToken)));
        }

        if (job.Status != JobStatus.Done)
        {
            return Problem(StatusCodes.Status409Conflict, $"task {task_id} is {StatusName(job.Status)}: no {format} yet");
        }

        return Results.Text(TranscriptFormat.Render(format, job.Sentences ?? []), TranscriptFormat.ContentType(format));
    });

    private static Task<IResult> HistoryAsync(int? page, int? page_size, string? status, JobService jobs, CancellationToken cancellationToken) => Guarded(async () =>
    {
        JobStatus? filter = null;
        if (status is { Length: > 0 })
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return Problem(StatusCodes.Status400BadRequest, $"status must be queued, processing, done or failed (was '{status}')");
            }

            filter = parsed;
        }

        if (page is < 1 || page_size is < 1 or > 200)
        {
            return Problem(StatusCodes.Status400BadRequest, "page must be at least 1 and page_size between 1 and 200");
        }

        var result = await jobs.Store.ListAsync(new JobQuery(page ?? 1, page_size ?? 20, filter), cancellationToken);
        return Ok(new HistoryResult(result.Items.Select(j => Task(j)).ToArray(), result.Total, result.Page, result.PageSize));
    });

    private static Task<IResult> AudioAsync(string task_id, JobService jobs, CancellationToken cancellationToken) => Guarded(async () =>
    {
        if (await FindAsync(task_id, jobs, cancellationToken) is not { } job || await jobs.Store.OpenAudioAsync(task_id, cancellationToken) is not { } audio)
        {
            return NotFound(task_id);
        }

        return Results.Stream(audio, job.Submission.ContentType ?? "application/octet-stream", job.Submission.FileName);
    });

    private static Task<IResult> QueueAsync(JobService jobs, CancellationToken cancellationToken) => Guarded(async () => Ok(await Queue(jobs, cancellationToken)));

    private static Task<IResult> RetryAsync(string task_id, JobService jobs, CancellationToken cancellationToken) => Guarded(async () =>
    {
        var result = JobIds.IsValid(task_id) ? await jobs.Store.RetryAsync(task_id, cancellationToken) : RetryResult.NotFound;
        return result switch
        {
            RetryResult.Requeued => Ok(new RetryResponse(task_id, "queued")),
            RetryResult.NotFinished => Problem(StatusCodes.Status409Conflict, $"task {task_id} is still queued or processing; retry only a finished task"),
            _ => NotFound(task_id),
        };
    });

    private static Task<IResult> DeleteAsync(string task_id, JobService jobs, CancellationToken cancellationToken) => Guarded(async () =>
        JobIds.IsValid(task_id) && await jobs.Store.DeleteAsync(task_id, cancellationToken)
            ? Ok(new DeleteResponse(task_id, "deleted"))
            : NotFound(task_id));

    private static async Task EventsAsync(HttpContext context, string task_id, JobService jobs, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        JobRecord? job;
        try
        {
            job = await FindAsync(task_id, jobs, cancellationToken);
        }
        catch (JobStoreUnavailableException ex)
        {
            await Problem(StatusCodes.Status503ServiceUnavailable, ex.Message).ExecuteAsync(context);
            return;
        }

        if (job is null)
        {
            await NotFound(task_id).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        string? last = null;
        try
        {
            while (true)
            {
                // Polled from the store, so any gateway streams any job's progress.
                var state = Task(job, await jobs.Store.QueuePositionAsync(job.Id, cancellationToken));
                var kind = job.Status switch { JobStatus.Done => "done", JobStatus.Failed => "failed", _ => "progress" };
                var data = JsonSerializer.Serialize(state, Json);
                if (data != last)
                {
                    await context.Response.WriteAsync($"event: {kind}\ndata: {data}\n\n", cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                    last = data;
                }

                if (kind != "progress")
                {
                    return;
                }

                await System.Threading.Tasks.Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
                job = await jobs.Store.GetAsync(task_id, cancellationToken);
                if (job is null)
                {
                    await context.Response.WriteAsync($"event: deleted\ndata: {{\"task_id\":\"{task_id}\"}}\n\n", cancellationToken);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (JobStoreUnavailableException ex)
        {
            await context.Response.WriteAsync($"event: error\ndata: {JsonSerializer.Serialize(new ErrorBody(ex.Message), Json)}\n\n", CancellationToken.None);
        }
    }

    private static Task<IResult> StatsAsync(JobService jobs, UpstreamClient upstream, JobConnectionScheduler scheduler, CancellationToken cancellationToken) => Guarded(async () =>
    {
        var endpoints = upstream.Endpoints;
        return Ok(new StatsResult(
            await Queue(jobs, cancellationToken), jobs.Activity.Finished, jobs.Activity.Failed, jobs.Activity.AudioTranscribed.TotalSeconds,
            endpoints.Sum(e => e.InFlight), endpoints.Sum(e => e.Idle), scheduler.Held));
    });

    private static async Task<IResult> HealthAsync(JobService jobs, UpstreamClient upstream, VadScheduler vad, CancellationToken cancellationToken)
    {
        var store = await jobs.Store.PingAsync(cancellationToken);
        var ok = store && upstream.IsReady && vad.IsModelLoaded;
        var body = new HealthResult(ok ? "ok" : "unavailable", store, upstream.IsReady, vad.IsModelLoaded);
        return Results.Json(body, Json, statusCode: ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<QueueResult> Queue(JobService jobs, CancellationToken cancellationToken)
    {
        var counts = await jobs.Store.CountsAsync(cancellationToken);
        return new QueueResult(counts.Queued, counts.Processing, counts.Done, counts.Failed, jobs.Activity.Processing, counts.StoredBytes);
    }

    private static async Task<JobRecord?> FindAsync(string id, JobService jobs, CancellationToken cancellationToken) =>
        JobIds.IsValid(id) ? await jobs.Store.GetAsync(id, cancellationToken) : null;

    private static IResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, $"task {id} not found");

    /// <summary>The store being unreachable (Redis down) is a 503 with the reason, never a 500.</summary>
    private static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (JobStoreUnavailableException ex)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }
}
