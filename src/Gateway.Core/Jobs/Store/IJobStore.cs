namespace Gateway.Core.Jobs.Store;

/// <summary>
/// Jobs, their uploads, the queue and the results. Two implementations with one behaviour (the same test suite
/// runs against both): <see cref="SqliteJobStore"/> embedded (one gateway) and <see cref="RedisJobStore"/> (every
/// gateway pointed at the same Redis shares the queue; a dead worker's job is reclaimed after
/// <see cref="JobsOptions.LeaseTimeout"/>; a job is finished exactly once).
/// </summary>
/// <remarks>Thread-safe. Failures to reach the store throw <see cref="JobStoreUnavailableException"/>.</remarks>
public interface IJobStore
{
    /// <summary>A job was deleted (or its lease taken away); its worker should stop. Raised on the worker's gateway.</summary>
    event Action<string>? JobCancelled;

    /// <summary>Stores the upload (a finished temporary file, moved or copied in) and queues the job. Throws <see cref="DiskQuotaExceededException"/>.</summary>
    Task<JobRecord> SubmitAsync(JobSubmission submission, string uploadPath, CancellationToken cancellationToken);

    /// <summary>The next queued job (highest priority, then oldest), or one whose worker's lease expired; null when none.</summary>
    Task<JobLease?> ClaimAsync(string worker, CancellationToken cancellationToken);

    /// <summary>Extends the lease and records progress. False when the lease was lost or the job deleted: stop working on it.</summary>
    Task<bool> RenewAsync(JobLease lease, double progress, double? durationSeconds, CancellationToken cancellationToken);

    /// <summary>Records one transcribed segment of the job, for a resume after a crash.</summary>
    Task AddSegmentAsync(JobLease lease, TranscribedSegment segment, CancellationToken cancellationToken);

    Task<IReadOnlyList<TranscribedSegment>> GetSegmentsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ends the run, exactly once: false (and nothing changed) when the lease is no longer this worker's.</summary>
    Task<bool> FinishAsync(JobLease lease, JobOutcome outcome, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>Jobs ahead of this one in the queue (0 = next), or null when it is not queued.</summary>
    Task<int?> QueuePositionAsync(string id, CancellationToken cancellationToken);

    Task<QueueCounts> CountsAsync(CancellationToken cancellationToken);

    /// <summary>The original upload, or null when the job is unknown.</summary>
    Task<Stream?> OpenAudioAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes the job and its upload; a running job's worker is told through <see cref="JobCancelled"/>. False when unknown.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Queues a finished job again; a failed job keeps its finished segments (it resumes), a done one starts over.</summary>
    Task<RetryResult> RetryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Applies retention: finished jobs beyond <see cref="JobsOptions.MaxRecordings"/> or older than <see cref="JobsOptions.RetainFor"/>. Returns how many were removed.</summary>
    Task<int> CleanupAsync(CancellationToken cancellationToken);

    /// <summary>Readiness: the store answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
