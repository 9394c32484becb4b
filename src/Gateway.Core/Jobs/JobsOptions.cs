namespace Gateway.Core.Jobs;

/// <summary>File transcription jobs: storage, limits, and their share of the upstream pool. Section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Where uploads and the embedded job database live. Relative paths are under the content root. Default <c>data/jobs</c>.</summary>
    public string DataDirectory { get; set; } = "data/jobs";

    /// <summary>Largest accepted upload (HTTP 413 beyond). Default 512 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Disk the stored uploads may use together; a submission that would exceed it gets 507. Default 10 GiB.</summary>
    public long DiskQuotaBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Finished jobs kept (oldest removed first, with their uploads). Default 1000.</summary>
    public int MaxRecordings { get; set; } = 1000;

    /// <summary>Finished jobs older than this are removed with their uploads. Default 7 days.</summary>
    public TimeSpan RetainFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Jobs this gateway processes at once (each has its own decoder and VAD stream). Default 4.</summary>
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>Segments of one job on upstream connections at once; reassembled in order. Default 4.</summary>
    public int MaxSegmentsInFlightPerJob { get; set; } = 4;

    /// <summary>
    /// Upstream connections jobs may hold even while live speech waits, so jobs never starve. 0 = jobs only use
    /// connections no live segment asks for. Default 1.
    /// </summary>
    public int MinConnections { get; set; } = 1;

    /// <summary>
    /// Aging among jobs (shortest remaining audio first): each second a segment waits counts as this many seconds
    /// less remaining audio, so a long file still gets its turn. Default 60 (one minute of waiting = one hour shorter).
    /// </summary>
    public double AgingFactor { get; set; } = 60;

    /// <summary>How long one segment may wait for an upstream connection, across retries, before the job fails (it can be retried). Default 5 minutes.</summary>
    public TimeSpan SegmentDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per segment (the first plus replays after an upstream failure). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Audio per upstream frame; a job sends unpaced, so larger frames cost less. Default 500 ms.</summary>
    public int ChunkMs { get; set; } = 500;

    /// <summary>The ffmpeg executable (a name on PATH or a path). Default <c>ffmpeg</c>.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>A job whose worker stopped renewing its lease this long ago is taken by another worker. Default 30 s.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>StackExchange.Redis configuration string; when set, the queue and state live in Redis and every gateway pointed at it shares them. Default none (embedded SQLite).</summary>
    public string? Redis { get; set; }

    /// <summary>HMAC-SHA256 key of the callback signature header; callbacks are refused (422) while it is not set. Default none.</summary>
    public string? CallbackSecret { get; set; }

    /// <summary>Attempts per callback (network errors, 5xx and 429 are retried with doubling delays from 1 s). Default 4.</summary>
    public int CallbackAttempts { get; set; } = 4;

    /// <summary>Key prefix in Redis, so several deployments can share one server. Default <c>gateway:jobs</c>.</summary>
    public string RedisPrefix { get; set; } = "gateway:jobs";
}
