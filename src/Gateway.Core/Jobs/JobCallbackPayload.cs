using System.Text.Json;
using Gateway.Core.Jobs.Store;

namespace Gateway.Core.Jobs;

/// <summary>The body POSTed to a job's callback URL (snake_case, the fields of <c>GET /api/v1/asr/result</c> that matter).</summary>
internal sealed record JobCallbackPayload(string TaskId, string Status, string? Text, IReadOnlyList<JobSentence>? Sentences, double? Duration, double? ProcessingTime, string? Error)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Json(JobRecord job) => JsonSerializer.Serialize(
        new JobCallbackPayload(job.Id, job.Status == JobStatus.Done ? "done" : "failed", job.Text, job.Sentences, job.DurationSeconds, job.ProcessingSeconds, job.Error),
        Options);
}
