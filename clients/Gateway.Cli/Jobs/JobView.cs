using System.Text.Json;

namespace Gateway.Cli.Jobs;

/// <summary>What the CLI shows of a job (the gateway's <c>result</c> body, docs/jobs.md).</summary>
internal sealed record JobView(string Id, string Status, double Progress, string FileName, double? Duration, string? Error)
{
    public bool Finished => Status is "done" or "failed";

    public static JobView From(JsonElement job) => new(
        job.GetProperty("task_id").GetString()!,
        job.GetProperty("status").GetString()!,
        job.GetProperty("progress").GetDouble(),
        job.GetProperty("filename").GetString() ?? "",
        job.TryGetProperty("duration", out var duration) && duration.ValueKind is JsonValueKind.Number ? duration.GetDouble() : null,
        job.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.String ? error.GetString() : null);
}
