namespace Gateway.Core.Jobs;

/// <summary>
/// The jobs this gateway is running now: their cancellation (a delete reaches the run through it), their progress,
/// and counters for the dashboard (audio transcribed, jobs finished and failed).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class JobActivity
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Run> _runs = [];
    private long _audioMilliseconds;
    private long _audioDoneTicks;
    private long _finished;
    private long _failed;

    /// <summary>Jobs running on this gateway.</summary>
    public int Processing
    {
        get
        {
            lock (_lock)
            {
                return _runs.Count;
            }
        }
    }

    /// <summary>Audio of the jobs finished here since start.</summary>
    public TimeSpan AudioTranscribed => TimeSpan.FromMilliseconds(Interlocked.Read(ref _audioMilliseconds));

    /// <summary>
    /// Audio whose finals arrived here since start, counted as each run reports progress (the dashboard's throughput).
    /// It only grows: a job's audio is counted once, when its finals arrive, not again (nor taken back) when it ends.
    /// </summary>
    public TimeSpan AudioDone => TimeSpan.FromTicks(Interlocked.Read(ref _audioDoneTicks));

    public long Finished => Interlocked.Read(ref _finished);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The progress of a job running here, for live answers without a store round trip.</summary>
    public FileTranscriptionProgress? ProgressOf(string id)
    {
        lock (_lock)
        {
            return _runs.TryGetValue(id, out var run) ? run.Progress : null;
        }
    }

    internal Run Start(string id, CancellationToken stopping)
    {
        var run = new Run(this, id, stopping);
        lock (_lock)
        {
            _runs[id] = run;
        }

        return run;
    }

    internal void Cancel(string id)
    {
        lock (_lock)
        {
            if (_runs.TryGetValue(id, out var run))
            {
                run.Cancel();
            }
        }
    }

    internal void Record(Store.JobOutcome outcome)
    {
        if (outcome.Succeeded)
        {
            Interlocked.Increment(ref _finished);
            Interlocked.Add(ref _audioMilliseconds, (long)(outcome.DurationSeconds * 1000));
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    private void End(Run run)
    {
        lock (_lock)
        {
            if (_runs.TryGetValue(run.Id, out var current) && current == run)
            {
                _runs.Remove(run.Id);
            }
        }
    }

    /// <summary>One run of one job on this gateway.</summary>
    internal sealed class Run : IDisposable
    {
        private readonly JobActivity _owner;
        private readonly CancellationTokenSource _cancel;
        private readonly CancellationTokenSource _renewing = new();
        private FileTranscriptionProgress _progress;
        private TimeSpan _counted;

        public Run(JobActivity owner, string id, CancellationToken stopping)
        {
            _owner = owner;
            Id = id;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        }

        public string Id { get; }

        public CancellationToken Token => _cancel.Token;

        public FileTranscriptionProgress Progress
        {
            get
            {
                lock (_renewing)
                {
                    return _progress;
                }
            }
        }

        public void Report(FileTranscriptionProgress progress)
        {
            lock (_renewing)
            {
                _progress = progress;
                if (progress.Done > _counted)
                {
                    Interlocked.Add(ref _owner._audioDoneTicks, (progress.Done - _counted).Ticks);
                    _counted = progress.Done;
                }
            }
        }

        public void Cancel() => _cancel.Cancel();

        public void StopRenewing() => _renewing.Cancel();

        /// <summary>Waits one renewal period; false once renewing stopped.</summary>
        public async Task<bool> WaitRenewAsync(TimeSpan period, TimeProvider time)
        {
            try
            {
                await Task.Delay(period, time, _renewing.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _owner.End(this);
            _cancel.Dispose();
            _renewing.Dispose();
        }
    }
}
