using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs.Store;

/// <summary>
/// The embedded store: one SQLite database (<c>jobs.db</c>) and the uploads as files in
/// <see cref="JobsOptions.DataDirectory"/>. For one gateway: at start every job still marked processing belonged to
/// this process before it stopped, so it is queued again at once and resumes from its recorded segments.
/// </summary>
/// <remarks>Thread-safe: one connection, one operation at a time (SQLite serialises writers anyway).</remarks>
internal sealed class SqliteJobStore : IJobStore, IDisposable
{
    private readonly JobsOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1);
    private readonly SqliteConnection _db;
    private readonly string _uploads;

    public SqliteJobStore(IOptions<JobsOptions> options, TimeProvider time, JobDataDirectory directory)
    {
        _options = options.Value;
        _time = time;
        _uploads = Path.Combine(directory.Path, "uploads");
        Directory.CreateDirectory(_uploads);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Path, "jobs.db"), Pooling = false }.ToString());
        _db.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS jobs(
              id TEXT PRIMARY KEY, status INTEGER NOT NULL, priority INTEGER NOT NULL, seq INTEGER NOT NULL,
              created_at INTEGER NOT NULL, finished_at INTEGER, size_bytes INTEGER NOT NULL,
              lease_token TEXT, lease_expires INTEGER, record TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS jobs_queue ON jobs(status, priority DESC, seq);
            CREATE TABLE IF NOT EXISTS segments(
              job_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, data TEXT NOT NULL,
              PRIMARY KEY(job_id, start, end));
            """);
        // Embedded means one process: whatever was processing when it stopped is this gateway's to resume.
        Execute($"UPDATE jobs SET status = {(int)JobStatus.Queued}, lease_token = NULL WHERE status = {(int)JobStatus.Processing}");
    }

    public event Action<string>? JobCancelled;

    public async Task<JobRecord> SubmitAsync(JobSubmission submission, string uploadPath, CancellationToken cancellationToken)
    {
        var size = new FileInfo(uploadPath).Length;
        var id = JobIds.New();
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var stored = Scalar<long>("SELECT COALESCE(SUM(size_bytes), 0) FROM jobs");
            if (stored + size > _options.DiskQuotaBytes)
            {
                throw new DiskQuotaExceededException(
                    $"storing {size} bytes would exceed the jobs disk quota ({stored} of {_options.DiskQuotaBytes} bytes in use)");
            }

            File.Move(uploadPath, AudioPath(id));
            var record = new JobRecord { Id = id, Submission = submission, Status = JobStatus.Queued, SizeBytes = size, CreatedAt = _time.GetUtcNow() };
            Execute(
                "INSERT INTO jobs(id, status, priority, seq, created_at, size_bytes, record) VALUES ($id, $status, $priority, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), $created, $size, $record)",
                ("$id", id), ("$status", (int)JobStatus.Queued), ("$priority", submission.Priority),
                ("$created", record.CreatedAt.ToUnixTimeMilliseconds()), ("$size", size), ("$record", JobJson.Write(record)));
            return record;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<JobLease?> ClaimAsync(string worker, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            var id = Scalar<string?>(
                "SELECT id FROM jobs WHERE status = $queued OR (status = $processing AND lease_expires < $now) ORDER BY priority DESC, seq LIMIT 1",
                ("$queued", (int)JobStatus.Queued), ("$processing", (int)JobStatus.Processing), ("$now", now.ToUnixTimeMilliseconds()));
            if (id is null)
            {
                return null;
            }

            var token = JobIds.New();
            var record = Read(id)!;
            record = record with { Status = JobStatus.Processing, StartedAt = now, Worker = worker, Attempts = record.Attempts + 1, Error = null, ErrorStatus = null };
            Execute(
                "UPDATE jobs SET status = $status, lease_token = $token, lease_expires = $expires, record = $record WHERE id = $id",
                ("$status", (int)JobStatus.Processing), ("$token", token), ("$expires", (now + _options.LeaseTimeout).ToUnixTimeMilliseconds()),
                ("$record", JobJson.Write(record)), ("$id", id));
            return new JobLease(id, token, worker, record);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<bool> RenewAsync(JobLease lease, double progress, double? durationSeconds, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var record = ReadLeased(lease);
            if (record is null)
            {
                return false;
            }

            record = record with { Progress = Math.Max(record.Progress, progress), DurationSeconds = durationSeconds ?? record.DurationSeconds };
            Execute(
                "UPDATE jobs SET lease_expires = $expires, record = $record WHERE id = $id",
                ("$expires", (_time.GetUtcNow() + _options.LeaseTimeout).ToUnixTimeMilliseconds()), ("$record", JobJson.Write(record)), ("$id", lease.JobId));
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task AddSegmentAsync(JobLease lease, TranscribedSegment segment, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (ReadLeased(lease) is null)
            {
                return;
            }

            Execute(
                "INSERT OR REPLACE INTO segments(job_id, start, end, data) VALUES ($id, $start, $end, $data)",
                ("$id", lease.JobId), ("$start", segment.StartSample), ("$end", segment.EndSample), ("$data", JobJson.Write(segment)));
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyList<TranscribedSegment>> GetSegmentsAsync(string id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            using var command = Command("SELECT data FROM segments WHERE job_id = $id ORDER BY start", ("$id", id));
            using var reader = command.ExecuteReader();
            var segments = new List<TranscribedSegment>();
            while (reader.Read())
            {
                segments.Add(JobJson.ReadSegment(reader.GetString(0)));
            }

            return segments;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<bool> FinishAsync(JobLease lease, JobOutcome outcome, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var record = ReadLeased(lease);
            if (record is null)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            record = record with
            {
                Status = outcome.Succeeded ? JobStatus.Done : JobStatus.Failed,
                FinishedAt = now,
                Progress = outcome.Succeeded ? 1 : record.Progress,
                DurationSeconds = outcome.Succeeded ? outcome.DurationSeconds : record.DurationSeconds,
                ProcessingSeconds = outcome.ProcessingSeconds,
                Text = outcome.Text,
                Sentences = outcome.Sentences,
                Error = outcome.Error,
                ErrorStatus = outcome.ErrorStatus,
                Worker = null,
            };
            Execute(
                "UPDATE jobs SET status = $status, lease_token = NULL, finished_at = $finished, record = $record WHERE id = $id",
                ("$status", (int)record.Status), ("$finished", now.ToUnixTimeMilliseconds()), ("$record", JobJson.Write(record)), ("$id", lease.JobId));
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return Read(id);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var filter = query.Status is null ? "" : "WHERE status = $status";
            (string, object?) status = ("$status", (int?)query.Status);
            var total = (int)Scalar<long>($"SELECT COUNT(*) FROM jobs {filter}", status);
            using var command = Command(
                $"SELECT record, status FROM jobs {filter} ORDER BY created_at DESC, seq DESC LIMIT $take OFFSET $skip",
                status, ("$take", query.PageSize), ("$skip", (query.Page - 1) * query.PageSize));
            using var reader = command.ExecuteReader();
            var items = new List<JobRecord>();
            while (reader.Read())
            {
                items.Add(JobJson.ReadRecord(reader.GetString(0)) with { Status = (JobStatus)reader.GetInt32(1) });
            }

            return new JobPage(items, total, query.Page, query.PageSize);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<int?> QueuePositionAsync(string id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            using var command = Command("SELECT priority, seq FROM jobs WHERE id = $id AND status = $queued", ("$id", id), ("$queued", (int)JobStatus.Queued));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var (priority, seq) = (reader.GetInt32(0), reader.GetInt64(1));
            return (int)Scalar<long>(
                "SELECT COUNT(*) FROM jobs WHERE status = $queued AND (priority > $priority OR (priority = $priority AND seq < $seq))",
                ("$queued", (int)JobStatus.Queued), ("$priority", priority), ("$seq", seq));
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<QueueCounts> CountsAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var counts = new int[4];
            using var command = Command("SELECT status, COUNT(*) FROM jobs GROUP BY status");
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts[reader.GetInt32(0)] = reader.GetInt32(1);
                }
            }

            return new QueueCounts(counts[0], counts[1], counts[2], counts[3], Scalar<long>("SELECT COALESCE(SUM(size_bytes), 0) FROM jobs"));
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<Stream?> OpenAudioAsync(string id, CancellationToken cancellationToken)
    {
        var path = AudioPath(id);
        return Task.FromResult<Stream?>(JobIds.IsValid(id) && File.Exists(path) ? File.OpenRead(path) : null);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        bool wasProcessing;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var status = Scalar<long?>("SELECT status FROM jobs WHERE id = $id", ("$id", id));
            if (status is null)
            {
                return false;
            }

            wasProcessing = status == (int)JobStatus.Processing;
            RemoveLocked(id);
        }
        finally
        {
            _lock.Release();
        }

        if (wasProcessing)
        {
            JobCancelled?.Invoke(id);
        }

        return true;
    }

    public async Task<RetryResult> RetryAsync(string id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var record = Read(id);
            if (record is null)
            {
                return RetryResult.NotFound;
            }

            if (record.Status is JobStatus.Queued or JobStatus.Processing)
            {
                return RetryResult.NotFinished;
            }

            if (record.Status == JobStatus.Done)
            {
                Execute("DELETE FROM segments WHERE job_id = $id", ("$id", id)); // a done job starts over
            }

            record = record with { Status = JobStatus.Queued, Progress = record.Status == JobStatus.Done ? 0 : record.Progress, FinishedAt = null, Error = null, ErrorStatus = null, Text = null, Sentences = null };
            Execute(
                "UPDATE jobs SET status = $status, finished_at = NULL, seq = (SELECT MAX(seq) + 1 FROM jobs), record = $record WHERE id = $id",
                ("$status", (int)JobStatus.Queued), ("$record", JobJson.Write(record)), ("$id", id));
            return RetryResult.Requeued;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<int> CleanupAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var cutoff = (_time.GetUtcNow() - _options.RetainFor).ToUnixTimeMilliseconds();
            var doomed = new List<string>();
            using (var command = Command(
                "SELECT id FROM jobs WHERE status IN ($done, $failed) AND (finished_at < $cutoff OR id NOT IN (SELECT id FROM jobs WHERE status IN ($done, $failed) ORDER BY finished_at DESC LIMIT $keep))",
                ("$done", (int)JobStatus.Done), ("$failed", (int)JobStatus.Failed), ("$cutoff", cutoff), ("$keep", _options.MaxRecordings)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    doomed.Add(reader.GetString(0));
                }
            }

            foreach (var id in doomed)
            {
                RemoveLocked(id);
            }

            return doomed.Count;
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public void Dispose()
    {
        _db.Dispose();
        _lock.Dispose();
    }

    private string AudioPath(string id) => Path.Combine(_uploads, id);

    private void RemoveLocked(string id)
    {
        Execute("DELETE FROM segments WHERE job_id = $id; DELETE FROM jobs WHERE id = $id", ("$id", id));
        File.Delete(AudioPath(id));
    }

    private JobRecord? Read(string id)
    {
        using var command = Command("SELECT record, status FROM jobs WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? JobJson.ReadRecord(reader.GetString(0)) with { Status = (JobStatus)reader.GetInt32(1) } : null;
    }

    /// <summary>The job, when this lease is still the current one.</summary>
    private JobRecord? ReadLeased(JobLease lease)
    {
        using var command = Command(
            "SELECT record, status FROM jobs WHERE id = $id AND status = $processing AND lease_token = $token",
            ("$id", lease.JobId), ("$processing", (int)JobStatus.Processing), ("$token", lease.Token));
        using var reader = command.ExecuteReader();
        return reader.Read() ? JobJson.ReadRecord(reader.GetString(0)) with { Status = JobStatus.Processing } : null;
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
