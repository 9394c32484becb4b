using System.Text.Json;
using Gateway.Core.Jobs.Store;

namespace Gateway.Server.Endpoints;

/// <summary>The JSON shapes of the jobs API (field names as the FastAPI microservice has them) and its errors (<c>{"detail": ...}</c>).</summary>
internal static class JobResults
{
    /// <summary>snake_case, as the microservice's clients expect.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IResult Problem(int status, string detail) => Results.Json(new ErrorBody(detail), Json, statusCode: status);

    public static IResult Ok<T>(T body) => Results.Json(body, Json);

    public static string StatusName(JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Processing => "processing",
        JobStatus.Done => "done",
        _ => "failed",
    };

    public static TaskResult Task(JobRecord job, int? queuePosition = null) => new(
        job.Id,
        StatusName(job.Status),
        Math.Round(job.Progress * 100, 1),
        queuePosition,
        job.Submission.FileName,
        job.Submission.Language,
        job.Text,
        job.Sentences,
        job.DurationSeconds,
        job.ProcessingSeconds,
        job.Rtf is { } rtf ? Math.Round(rtf, 4) : null,
        job.Error,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.Attempts);

    internal sealed record ErrorBody(string Detail);

    internal sealed record SubmitResult(string TaskId, string Status, int? QueuePosition);

    internal sealed record TaskResult(
        string TaskId,
        string Status,
        double Progress,
        int? QueuePosition,
        string Filename,
        string? Language,
        string? Text,
        IReadOnlyList<JobSentence>? Sentences,
        double? Duration,
        double? ProcessingTime,
        double? Rtf,
        string? Error,
        DateTimeOffset CreatedAt,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        int Attempts);

    internal sealed record HistoryResult(IReadOnlyList<TaskResult> Items, int Total, int Page, int PageSize);

    internal sealed record QueueResult(int Queued, int Processing, int Done, int Failed, int ProcessingHere, long StoredBytes);

    internal sealed record RetryResponse(string TaskId, string Status);

    internal sealed record DeleteResponse(string TaskId, string Status);

    internal sealed record HealthResult(string Status, bool Store, bool Upstream, bool Vad);

    internal sealed record StatsResult(QueueResult Queue, long JobsFinishedHere, long JobsFailedHere, double AudioSecondsTranscribedHere, int UpstreamInFlight, int UpstreamIdle, int JobConnectionsHeld);
}
