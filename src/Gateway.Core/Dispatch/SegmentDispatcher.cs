using System.Threading.Channels;
using Gateway.Core.Audio;
using Gateway.Core.Results;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.Core.Dispatch;

/// <summary>
/// A session's segments, one at a time and in order: each leases an upstream utterance at speech start (oldest first
/// across sessions, <see cref="LeaseQueue"/>), streams its own audio as VAD classifies it (so partials flow),
/// finishes at the end of speech, drains to the terminal result and only then gives way to the next. A retryable
/// upstream failure replays the segment from its start on a new lease. While the upstream is failing or away, the
/// session's segments are held (in order, within the session's and the gateway's budget of held audio) and sent
/// when it is back; a hold that would exceed a budget or the deadline fails at once. Every segment ends with
/// exactly one final or one error (<see cref="SegmentJob.TryResolve"/>).
/// </summary>
/// <remarks>
/// Threading: <see cref="Enqueue"/>, <see cref="AudioAvailable"/> and <see cref="Ended"/> are called from the VAD
/// thread (or a flush); the loop runs on the thread pool; <see cref="FailPending"/> from the session's drain.
/// The dispatcher never reads the session's ring: the pipeline copies each segment's audio out as it is classified.
/// </remarks>
internal sealed partial class SegmentDispatcher : IAsyncDisposable
{
    private readonly SessionContext _session;
    private readonly DispatchServices _services;
    private readonly Channel<SegmentJob> _jobs = Channel.CreateUnbounded<SegmentJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<SegmentJob> _unfinished = [];
    private readonly AsyncSignal _audio = new();   // the writer's wake-up
    private readonly AsyncSignal _ended = new();   // the reader's, waiting for a segment's end
    private readonly AsyncSignal _idle = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HotwordSet? _hotwords;
    private readonly int _chunkBytes;
    private readonly long _sessionHoldLimit;
    private readonly Task _loop;
    private bool _holding;      // the head segment could not get an upstream (under _unfinished)
    private long _sessionHeld;  // bytes reserved by this session's held segments (under _unfinished)

    public SegmentDispatcher(SessionContext session, DispatchServices services)
    {
        _session = session;
        _services = services;
        _hotwords = session.Settings.Hotwords.Count > 0 ? new HotwordSet(session.Settings.Hotwords) : null;
        _chunkBytes = services.Options.ChunkMs * 16 * sizeof(short);
        _sessionHoldLimit = services.Options.SessionHoldBytes;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>True when every segment queued so far has its final or its error out.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_unfinished)
            {
                return _unfinished.Count == 0;
            }
        }
    }

    /// <summary>A segment starts. While the session is holding, its audio is held too: its final will be late.</summary>
    public void Enqueue(SegmentJob job)
    {
        lock (_unfinished)
        {
            job.Held |= _holding;
            _unfinished.Add(job);
        }

        _jobs.Writer.TryWrite(job);
    }

    /// <summary>More of a segment's audio was copied out, or a segment ended: wakes the writer and the reader.</summary>
    public void AudioAvailable()
    {
        _audio.Set();
        _ended.Set();
    }

    /// <summary>A segment's end is known. While the session is holding, its audio is counted against the budgets now.</summary>
    public void Ended(SegmentJob job)
    {
        string? refused;
        lock (_unfinished)
        {
            refused = _holding ? TryHoldLocked(job) : null;
        }

        if (refused is not null)
        {
            Fail(job, refused);
        }

        AudioAvailable();
    }

    /// <summary>Completes once every segment queued so far has its final (or its error) out.</summary>
    public async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (!IsIdle)
        {
            await _idle.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The session is closing and cannot wait longer: every segment without an outcome gets its error now, so none
    /// is dropped silently. Segments whose end is not known yet are left to the caller's flush.
    /// </summary>
    public void FailPending(string message)
    {
        SegmentJob[] pending;
        lock (_unfinished)
        {
            pending = [.. _unfinished];
        }

        foreach (var job in pending)
        {
            if (job.End is not null)
            {
                Fail(job, message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        lock (_unfinished)
        {
            foreach (var job in _unfinished)
            {
                ReturnHoldLocked(job);
                job.Audio.Dispose();
            }

            _unfinished.Clear();
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    if (!job.IsResolved)
                    {
                        await DispatchAsync(job);
                    }

                    // A hold that failed while the segment was still being spoken: its error waited for its end.
                    await WaitForEndAsync(job);
                }
                finally
                {
                    lock (_unfinished)
                    {
                        if (_unfinished.Remove(job))
                        {
                            ReturnHoldLocked(job);
                            job.Audio.Dispose();
                        }
                    }
                }

                _idle.Set();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The session is gone: segments still queued have nobody to deliver to.
        }
        catch (Exception ex)
        {
            Log.DispatcherFailed(_services.Logger, ex, _session.Id);
        }
    }

    /// <summary>Sends the segment's one error (if it has no outcome yet). Any thread; the end must be known.</summary>
    private void Fail(SegmentJob job, string message)
    {
        if (!job.TryResolve())
        {
            return;
        }

        _services.Metrics.SegmentFailed();
        Log.SegmentFailed(_session.Id, _services.Logger, job.Id, message);
        _session.Emit(new SegmentFailedEvent(job.Id, job.Start, job.AudioEnd, ErrorCodes.UpstreamUnavailable, message));
        _idle.Set();
    }
}
