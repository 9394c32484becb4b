namespace Gateway.Core.Jobs.Store;

/// <summary>A job as every gateway sees it, whichever store holds it.</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }

    public required JobSubmission Submission { get; init; }

    public JobStatus Status { get; init; }

    /// <summary>Size of the stored upload.</summary>
    public long SizeBytes { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Share of the audio whose final arrived, 0..1.</summary>
    public double Progress { get; init; }

    /// <summary>The recording's duration in seconds, once known.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Wall time of the last run, in seconds, once done.</summary>
    public double? ProcessingSeconds { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<JobSentence>? Sentences { get; init; }

    /// <summary>Why the job failed (ffmpeg's reason, upstream unavailable, ...).</summary>
    public string? Error { get; init; }

    /// <summary>HTTP-style class of the failure: 415 unsupported media, 422 corrupt or no audio, 503 upstream, 500 otherwise.</summary>
    public int? ErrorStatus { get; init; }

    /// <summary>Times a worker took the job (more than one after a crash or a retry).</summary>
    public int Attempts { get; init; }

    /// <summary>The gateway working on it, while processing.</summary>
    public string? Worker { get; init; }

    /// <summary>Real-time factor of the last run: processing time / audio duration.</summary>
    public double? Rtf => ProcessingSeconds is { } p && DurationSeconds is > 0 and { } d ? p / d : null;
}
