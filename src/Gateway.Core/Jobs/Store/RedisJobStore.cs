using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Core.Jobs.Store;

/// <summary>
/// The shared store (<see cref="JobsOptions.Redis"/>): every gateway pointed at the same Redis takes jobs from the
/// same Streams (one per priority) through one consumer group; a job whose worker stopped renewing for <see cref="JobsOptions.LeaseTimeout"/>
/// is reclaimed with XAUTOCLAIM; the lease token makes finishing exactly-once (<see cref="RedisScripts.Finish"/>);
/// records, segments and uploads live in Redis, so any gateway answers for any job.
/// </summary>
/// <remarks>
/// Thread-safe. Claims follow the embedded store's order: higher <see cref="JobSubmission.Priority"/> first, then
/// oldest (one stream per priority, <see cref="RedisScripts"/>). When Redis cannot be reached every call throws <see cref="JobStoreUnavailableException"/>;
/// what Redis accepted is not lost (configure its persistence: appendonly).
/// </remarks>
internal sealed class RedisJobStore : IJobStore, IDisposable
{
    private const string Group = "workers";

    private readonly JobsOptions _options;
    private readonly TimeProvider _time;
    private readonly ConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly string _consumer = JobIds.New()[..12];
    private readonly RedisKey _levels;
    private readonly RedisKey _index;
    private readonly RedisKey _queued;
    private readonly RedisKey _bytes;
    private readonly RedisKey _seq;
    private readonly RedisChannel _cancel;

    public RedisJobStore(IOptions<JobsOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var config = ConfigurationOptions.Parse(_options.Redis!);
        config.AbortOnConnectFail = false; // the gateway starts while Redis is down; readiness says so
        _redis = ConnectionMultiplexer.Connect(config);
        _prefix = _options.RedisPrefix;
        _levels = _prefix + ":levels";
        _index = _prefix + ":index";
        _queued = _prefix + ":queued";
        _bytes = _prefix + ":bytes";
        _seq = _prefix + ":seq";
        _cancel = RedisChannel.Literal(_prefix + ":cancel");
        _redis.GetSubscriber().Subscribe(_cancel, (_, id) => JobCancelled?.Invoke(id.ToString()));
    }

    public event Action<string>? JobCancelled;

    private IDatabase Db => _redis.GetDatabase();

    public async Task<JobRecord> SubmitAsync(JobSubmission submission, string uploadPath, CancellationToken cancellationToken)
    {
        var size = new FileInfo(uploadPath).Length;
        var id = JobIds.New();
        var record = new JobRecord { Id = id, Submission = submission, Status = JobStatus.Queued, SizeBytes = size, CreatedAt = _time.GetUtcNow() };
        await Guard(async db =>
        {
            // Check and reserve in one script: concurrent submits (on this or other gateways) cannot overshoot together.
            var stored = (long)await db.ScriptEvaluateAsync(RedisScripts.ReserveBytes, [_bytes], [size, _options.DiskQuotaBytes]);
            if (stored >= 0)
            {
                throw new DiskQuotaExceededException(
                    $"storing {size} bytes would exceed the jobs quota ({stored} of {_options.DiskQuotaBytes} bytes in use)");
            }

            try
            {
                // The upload first: a job is only queued once everything it needs is in Redis.
                await db.StringSetAsync(Key("audio", id), await File.ReadAllBytesAsync(uploadPath, cancellationToken));
                await db.SortedSetAddAsync(_index, id, record.CreatedAt.ToUnixTimeMilliseconds());
                await db.ScriptEvaluateAsync(
                    RedisScripts.Enqueue,
                    [Key("job", id), _levels, _queued, _seq],
                    [id, submission.Priority, _prefix, Group, "record", JobJson.Write(record), "status", (int)JobStatus.Queued, "size", size, "progress", 0]);
            }
            catch
            {
                // Not queued: give the reservation back (best effort; Redis may be the reason).
                await db.StringDecrementAsync(_bytes, size, CommandFlags.FireAndForget);
                await db.KeyDeleteAsync(Key("audio", id), CommandFlags.FireAndForget);
                await db.SortedSetRemoveAsync(_index, id, CommandFlags.FireAndForget);
                throw;
            }

            return 0;
        });
        File.Delete(uploadPath);
        return record;
    }

    public Task<JobLease?> ClaimAsync(string worker, CancellationToken cancellationToken) => Guard<JobLease?>(async db =>
    {
        var token = JobIds.New();
        var result = await db.ScriptEvaluateAsync(
            RedisScripts.Claim,
            [_levels, _queued],
            [Group, _consumer, (long)_options.LeaseTimeout.TotalMilliseconds, token, _prefix]);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var id = parts[0].ToString();
        var record = JobJson.ReadRecord(parts[1].ToString());
        record = record with { Status = JobStatus.Processing, StartedAt = _time.GetUtcNow(), Worker = worker, Attempts = record.Attempts + 1, Error = null, ErrorStatus = null };
        await db.ScriptEvaluateAsync(RedisScripts.SetIfLeased, [Key("job", id)], [token, "record", JobJson.Write(record)]);
        return new JobLease(id, token, worker, record);
    });

    public Task<bool> RenewAsync(JobLease lease, double progress, double? durationSeconds, CancellationToken cancellationToken) => Guard(async db =>
    {
        var result = await db.ScriptEvaluateAsync(
            RedisScripts.Renew,
            [Key("job", lease.JobId)],
            [lease.Token, Group, _consumer, "progress", progress.ToString("R", CultureInfo.InvariantCulture), "duration", (durationSeconds ?? 0).ToString("R", CultureInfo.InvariantCulture)]);
        return (int)result == 1;
    });

    public Task AddSegmentAsync(JobLease lease, TranscribedSegment segment, CancellationToken cancellationToken) => Guard(async db =>
    {
        if ((int)await db.ScriptEvaluateAsync(RedisScripts.SetIfLeased, [Key("job", lease.JobId)], [lease.Token]) == 1)
        {
            await db.HashSetAsync(Key("segments", lease.JobId), $"{segment.StartSample}:{segment.EndSample}", JobJson.Write(segment));
        }

        return 0;
    });

    public Task<IReadOnlyList<TranscribedSegment>> GetSegmentsAsync(string id, CancellationToken cancellationToken) => Guard<IReadOnlyList<TranscribedSegment>>(async db =>
        (await db.HashValuesAsync(Key("segments", id))).Select(v => JobJson.ReadSegment(v.ToString())).OrderBy(s => s.StartSample).ToArray());

    public Task<bool> FinishAsync(JobLease lease, JobOutcome outcome, CancellationToken cancellationToken) => Guard(async db =>
    {
        var current = await ReadAsync(db, lease.JobId);
        if (current is null)
        {
            return false;
        }

        var record = current with
        {
            Status = outcome.Succeeded ? JobStatus.Done : JobStatus.Failed,
            FinishedAt = _time.GetUtcNow(),
            Progress = outcome.Succeeded ? 1 : current.Progress,
            DurationSeconds = outcome.Succeeded ? outcome.DurationSeconds : current.DurationSeconds,
            ProcessingSeconds = outcome.ProcessingSeconds,
            Text = outcome.Text,
            Sentences = outcome.Sentences,
            Error = outcome.Error,
            ErrorStatus = outcome.ErrorStatus,
            Worker = null,
        };
        var result = await db.ScriptEvaluateAsync(
            RedisScripts.Finish, [Key("job", lease.JobId)], [lease.Token, Group, (int)record.Status, JobJson.Write(record)]);
        if ((int)result == 1)
        {
            await db.HashSetAsync(Key("job", lease.JobId), "progress", record.Progress);
            await db.SortedSetAddAsync(Key("finished"), lease.JobId, record.FinishedAt!.Value.ToUnixTimeMilliseconds());
            return true;
        }

        return false;
    });

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) => Guard(db => ReadAsync(db, id));

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => Guard(async db =>
    {
        var skip = (query.Page - 1) * query.PageSize;
        if (query.Status is null)
        {
            var total = (int)await db.SortedSetLengthAsync(_index);
            var ids = await db.SortedSetRangeByRankAsync(_index, skip, skip + query.PageSize - 1, Order.Descending);
            var page = await Task.WhenAll(ids.Select(i => ReadAsync(db, i.ToString())));
            return new JobPage(page.OfType<JobRecord>().ToArray(), total, query.Page, query.PageSize);
        }

        var all = await AllAsync(db);
        var matching = all.Where(r => r.Status == query.Status).ToArray();
        return new JobPage(matching.Skip(skip).Take(query.PageSize).ToArray(), matching.Length, query.Page, query.PageSize);
    });

    public Task<int?> QueuePositionAsync(string id, CancellationToken cancellationToken) => Guard(async db =>
        (int?)await db.SortedSetRankAsync(_queued, id));

    public Task<QueueCounts> CountsAsync(CancellationToken cancellationToken) => Guard(async db =>
    {
        var all = await AllAsync(db);
        return new QueueCounts(
            all.Count(r => r.Status == JobStatus.Queued), all.Count(r => r.Status == JobStatus.Processing),
            all.Count(r => r.Status == JobStatus.Done), all.Count(r => r.Status == JobStatus.Failed),
            (long)await db.StringGetAsync(_bytes));
    });

    public Task<Stream?> OpenAudioAsync(string id, CancellationToken cancellationToken) => Guard<Stream?>(async db =>
    {
        var bytes = (byte[]?)await db.StringGetAsync(Key("audio", id));
        return bytes is null ? null : new MemoryStream(bytes, writable: false);
    });

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Guard(async db =>
    {
        var result = await db.ScriptEvaluateAsync(
            RedisScripts.Delete,
            [Key("job", id), Key("audio", id), Key("segments", id), _index, _queued, _bytes],
            [id, Group, _cancel.ToString()]);
        await db.SortedSetRemoveAsync(Key("finished"), id);
        return (int)result >= 0;
    });

    public Task<RetryResult> RetryAsync(string id, CancellationToken cancellationToken) => Guard(async db =>
    {
        var record = await ReadAsync(db, id);
        if (record is null)
        {
            return RetryResult.NotFound;
        }

        if (record.Status is JobStatus.Queued or JobStatus.Processing)
        {
            return RetryResult.NotFinished;
        }

        var requeued = record with { Status = JobStatus.Queued, Progress = record.Status == JobStatus.Done ? 0 : record.Progress, FinishedAt = null, Error = null, ErrorStatus = null, Text = null, Sentences = null };
        var result = (int)await db.ScriptEvaluateAsync(
            RedisScripts.Retry,
            [Key("job", id), _levels, _queued, _seq, Key("segments", id)],
            [id, record.Submission.Priority, _prefix, Group, (int)record.Status, JobJson.Write(requeued), record.Status == JobStatus.Done ? 1 : 0]);
        await db.SortedSetRemoveAsync(Key("finished"), id);
        return result switch { 1 => RetryResult.Requeued, -1 => RetryResult.NotFound, _ => RetryResult.NotFinished };
    });

    public Task<int> CleanupAsync(CancellationToken cancellationToken) => Guard(async db =>
    {
        var cutoff = (_time.GetUtcNow() - _options.RetainFor).ToUnixTimeMilliseconds();
        var old = await db.SortedSetRangeByScoreAsync(Key("finished"), double.NegativeInfinity, cutoff - 1);
        var excess = await db.SortedSetRangeByRankAsync(Key("finished"), 0, -_options.MaxRecordings - 1);
        var removed = 0;
        foreach (var id in old.Concat(excess).Distinct())
        {
            removed += await DeleteAsync(id.ToString(), cancellationToken) ? 1 : 0;
        }

        return removed;
    });

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Db.PingAsync();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _redis.Dispose();

    private RedisKey Key(string kind, string id) => $"{_prefix}:{kind}:{id}";

    private RedisKey Key(string kind) => $"{_prefix}:{kind}";

    private async Task<JobRecord?> ReadAsync(IDatabase db, string id)
    {
        var fields = await db.HashGetAsync(Key("job", id), ["record", "status", "progress", "duration"]);
        if (fields[0].IsNull)
        {
            return null;
        }

        var record = JobJson.ReadRecord(fields[0].ToString()) with { Status = (JobStatus)(int)fields[1] };
        var progress = fields[2].IsNull ? record.Progress : (double)fields[2];
        var duration = fields[3].IsNull || (double)fields[3] <= 0 ? record.DurationSeconds : (double)fields[3];
        return record with { Progress = Math.Max(record.Progress, progress), DurationSeconds = duration };
    }

    private async Task<JobRecord[]> AllAsync(IDatabase db)
    {
        var ids = await db.SortedSetRangeByRankAsync(_index, 0, -1, Order.Descending);
        return (await Task.WhenAll(ids.Select(i => ReadAsync(db, i.ToString())))).OfType<JobRecord>().ToArray();
    }

    private static async Task<T> Guard<T>(Func<IDatabase, Task<T>> operation, IDatabase db)
    {
        try
        {
            return await operation(db);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new JobStoreUnavailableException("the job store (Redis) is unavailable: " + ex.Message, ex);
        }
    }

    private Task<T> Guard<T>(Func<IDatabase, Task<T>> operation) => Guard(operation, Db);
}
