using System.Diagnostics;
using Gateway.Core.Jobs.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// This gateway's worker: takes jobs from the store (up to <see cref="JobsOptions.MaxConcurrentJobs"/> at once),
/// transcribes them through <see cref="IFileTranscriber"/>, records each finished segment (a crash resumes from
/// there), renews the lease with the progress every second, and finishes each job exactly once.
/// </summary>
/// <remarks>
/// From the moment a stop is requested (SIGTERM: readiness down, <c>Sessions:PreStopDelay</c> running) it claims no
/// new job, so a gateway on its way out does not take work the others could start now; the jobs it runs go on
/// through the delay. At the drain the runs are cancelled without finishing their jobs: the lease lapses (Redis) or
/// the next start requeues them (SQLite), and the next run resumes from the recorded segments.
/// </remarks>
internal sealed partial class JobWorker : BackgroundService
{
    private readonly IJobStore _store;
    private readonly IFileTranscriber _transcriber;
    private readonly JobDataDirectory _directory;
    private readonly JobsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JobActivity _activity;
    private readonly JobCallbacks _callbacks;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SemaphoreSlim _submitted = new(0);
    private readonly string _worker = $"{Environment.MachineName}-{Environment.ProcessId}-{JobIds.New()[..6]}";

    public JobWorker(
        IJobStore store, IFileTranscriber transcriber, JobDataDirectory directory, IOptions<JobsOptions> options,
        TimeProvider time, JobActivity activity, JobCallbacks callbacks, IHostApplicationLifetime lifetime, ILogger<JobWorker> logger)
    {
        _lifetime = lifetime;
        _store = store;
        _transcriber = transcriber;
        _directory = directory;
        _options = options.Value;
        _time = time;
        _activity = activity;
        _callbacks = callbacks;
        _logger = logger;
        _store.JobCancelled += id => _activity.Cancel(id);
    }

    public string Name => _worker;

    /// <summary>A job was submitted on this gateway: look now instead of at the next poll.</summary>
    public void Wake()
    {
        if (_submitted.CurrentCount == 0)
        {
            _submitted.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentJobs);
        var running = new List<Task>();
        // Claiming ends when a stop is requested (ApplicationStopping, before the pre-stop delay); the runs end with
        // stoppingToken, at the drain.
        using var claiming = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _lifetime.ApplicationStopping);
        try
        {
            while (!claiming.IsCancellationRequested)
            {
                await slots.WaitAsync(claiming.Token);
                JobLease? lease = null;
                try
                {
                    lease = await _store.ClaimAsync(_worker, claiming.Token);
                }
                catch (JobStoreUnavailableException ex)
                {
                    Log.StoreUnavailable(_logger, ex.Message);
                }

                if (lease is null)
                {
                    slots.Release();
                    await IdleAsync(claiming.Token);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(lease, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (claiming.IsCancellationRequested)
        {
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            Log.ClaimingStopped(_logger, running.Count);
        }

        await Task.WhenAll(running);
    }

    private async Task IdleAsync(CancellationToken claiming)
    {
        // Another gateway's submission or a lapsed lease is only seen by polling; this gateway's own submissions wake at once.
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(claiming);
        poll.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await _submitted.WaitAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!claiming.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(JobLease lease, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var started = _time.GetTimestamp();
        using var run = _activity.Start(lease.JobId, stoppingToken);
        // Renewed from the claim until the outcome is recorded: a gap longer than Jobs:LeaseTimeout (fetching the
        // audio from Redis, or the finish) would let another worker reclaim a job this one is still running.
        var renewing = RenewAsync(lease, run, run.Token);
        string? temporary = null;
        try
        {
            Log.JobStarted(_logger, lease.JobId, lease.Job.Attempts);
            var completed = await _store.GetSegmentsAsync(lease.JobId, run.Token);
            var path = await LocalAudioAsync(lease.JobId, run.Token);
            temporary = path.Temporary ? path.Path : null;
            var result = await _transcriber.TranscribeAsync(
                new FileTranscriptionRequest
                {
                    Path = path.Path,
                    Hotwords = lease.Job.Submission.Hotwords,
                    Completed = completed,
                    SegmentCompleted = (segment, ct) => new ValueTask(_store.AddSegmentAsync(lease, segment, ct)),
                    Progress = run.Report,
                },
                run.Token);

            var outcome = new JobOutcome
            {
                DurationSeconds = result.Duration.TotalSeconds,
                ProcessingSeconds = _time.GetElapsedTime(started).TotalSeconds,
                Text = result.Text,
                Sentences = JobJson.Sentences(result.Sentences),
            };
            await FinishAsync(lease, outcome);
        }
        catch (MediaDecodeException ex)
        {
            await FinishAsync(lease, Failed(ex.Message, ex.Unsupported ? 415 : 422, started));
        }
        catch (FileTranscriptionException ex)
        {
            await FinishAsync(lease, Failed(ex.Message, 503, started));
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            // Deleted (nothing to record), lease lost (another worker has it) or shutting down (resumed on the next run).
            Log.JobStopped(_logger, lease.JobId, stoppingToken.IsCancellationRequested ? "shutdown" : "cancelled");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WorkerFailed(_logger, ex, lease.JobId);
            await FinishAsync(lease, Failed("internal error: " + ex.Message, 500, started));
        }
        finally
        {
            run.StopRenewing();
            await renewing;
            if (temporary is not null)
            {
                File.Delete(temporary);
            }

            slots.Release();
        }
    }

    private JobOutcome Failed(string error, int status, long started) =>
        new() { Error = error, ErrorStatus = status, ProcessingSeconds = _time.GetElapsedTime(started).TotalSeconds };

    private async Task FinishAsync(JobLease lease, JobOutcome outcome)
    {
        try
        {
            if (!await _store.FinishAsync(lease, outcome, CancellationToken.None))
            {
                return; // someone else's now (or deleted): exactly once means this run records nothing
            }

            if (outcome.Succeeded)
            {
                Log.JobFinished(_logger, lease.JobId, outcome.DurationSeconds, outcome.ProcessingSeconds);
            }
            else
            {
                Log.JobFailed(_logger, lease.JobId, outcome.Error!);
            }

            _activity.Record(outcome);
            if (lease.Job.Submission.CallbackUrl is { } callback && await _store.GetAsync(lease.JobId, CancellationToken.None) is { } done)
            {
                _callbacks.Post(callback, JobCallbackPayload.Json(done));
            }

            await _store.CleanupAsync(CancellationToken.None);
        }
        catch (JobStoreUnavailableException ex)
        {
            // Not recorded: the lease lapses and another run does the job again from its recorded segments.
            Log.StoreUnavailable(_logger, ex.Message);
        }
    }

    private async Task RenewAsync(JobLease lease, JobActivity.Run run, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, _options.LeaseTimeout.Ticks / 3));
        while (await run.WaitRenewAsync(period, _time))
        {
            try
            {
                if (!await _store.RenewAsync(lease, run.Progress.Fraction, run.Progress.Duration > TimeSpan.Zero ? run.Progress.Duration.TotalSeconds : null, cancellationToken))
                {
                    run.Cancel();
                    return;
                }
            }
            catch (JobStoreUnavailableException ex)
            {
                Log.StoreUnavailable(_logger, ex.Message); // keep working; the lease may lapse, then the finish is refused
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(string Path, bool Temporary)> LocalAudioAsync(string id, CancellationToken cancellationToken)
    {
        await using var audio = await _store.OpenAudioAsync(id, cancellationToken) ?? throw new OperationCanceledException("the job was deleted");
        if (audio is FileStream file)
        {
            return (file.Name, false);
        }

        // A shared store's upload is copied next to this worker so ffmpeg can seek in it.
        var path = _directory.NewTempFile();
        await using (var local = File.Create(path))
        {
            await audio.CopyToAsync(local, cancellationToken);
        }

        return (path, true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = Diagnostics.EventIds.JobStarted, Level = LogLevel.Information, Message = "Job {Id} started (attempt {Attempt})")]
        public static partial void JobStarted(ILogger logger, string id, int attempt);

        [LoggerMessage(EventId = Diagnostics.EventIds.JobFinished, Level = LogLevel.Information, Message = "Job {Id} done: {Duration:0.0} s of audio in {Processing:0.0} s")]
        public static partial void JobFinished(ILogger logger, string id, double duration, double processing);

        [LoggerMessage(EventId = Diagnostics.EventIds.JobFailed, Level = LogLevel.Warning, Message = "Job {Id} failed: {Error}")]
        public static partial void JobFailed(ILogger logger, string id, string error);

        [LoggerMessage(EventId = Diagnostics.EventIds.JobWorkerFailed, Level = LogLevel.Error, Message = "Job {Id} failed unexpectedly")]
        public static partial void WorkerFailed(ILogger logger, Exception exception, string id);

        [LoggerMessage(EventId = Diagnostics.EventIds.JobStopped, Level = LogLevel.Information, Message = "Job {Id} stopped ({Why})")]
        public static partial void JobStopped(ILogger logger, string id, string why);

        [LoggerMessage(EventId = Diagnostics.EventIds.JobStoreUnavailable, Level = LogLevel.Warning, Message = "Job store unavailable: {Reason}")]
        public static partial void StoreUnavailable(ILogger logger, string reason);

        [LoggerMessage(EventId = Diagnostics.EventIds.JobClaimingStopped, Level = LogLevel.Information, Message = "Stop requested: claiming no new job; {Running} running job(s) go on until the drain")]
        public static partial void ClaimingStopped(ILogger logger, int running);
    }
}
