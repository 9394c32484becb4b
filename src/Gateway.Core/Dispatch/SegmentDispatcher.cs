using System.Threading.Channels;
using Gateway.Core.Audio;
using Gateway.Core.Diagnostics;
using Gateway.Core.Pipeline;
using Gateway.Core.Sessions;
using Gateway.Upstream;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Dispatch;

/// <summary>
/// A session's segments, one at a time and in order: each leases an upstream utterance at speech start, streams
/// its audio from the ring as VAD classifies it (so partials flow), finishes at the end of speech, drains to the
/// terminal result and only then gives way to the next. A retryable upstream failure replays the segment from its
/// start on a new lease; its audio stays in the ring (<see cref="OldestHeld"/>) until its final is out, so the
/// client gets exactly one final per segment.
/// </summary>
/// <remarks>
/// Threading: <see cref="Enqueue"/> and <see cref="AudioAvailable"/> are called from the VAD thread; the loop runs
/// on the thread pool; <see cref="OldestHeld"/> is read from any thread.
/// </remarks>
internal sealed partial class SegmentDispatcher : IAsyncDisposable
{
    private readonly SessionContext _session;
    private readonly DispatchServices _services;
    private readonly Func<long> _classified;
    private readonly Channel<SegmentJob> _jobs = Channel.CreateUnbounded<SegmentJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<SegmentJob> _unfinished = new();
    private readonly AsyncSignal _audio = new();   // the writer's wake-up
    private readonly AsyncSignal _ended = new();   // the reader's, waiting for a segment's end
    private readonly AsyncSignal _idle = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HotwordSet? _hotwords;
    private readonly int _chunkBytes;
    private readonly Task _loop;
    private SegmentJob? _head;

    public SegmentDispatcher(SessionContext session, DispatchServices services, Func<long> classified)
    {
        _session = session;
        _services = services;
        _classified = classified;
        _hotwords = session.Settings.Hotwords.Count > 0 ? new HotwordSet(session.Settings.Hotwords) : null;
        _chunkBytes = services.Options.ChunkMs * 16 * sizeof(short);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// First ring position a pending segment still needs: the oldest segment's audio not yet copied into its own
    /// buffer. Audio before it may be released, even when that segment's final is not out yet.
    /// </summary>
    public long OldestHeld => Volatile.Read(ref _head)?.HeldFrom ?? long.MaxValue;

    /// <summary>True when no segment is queued or in flight.</summary>
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

    public void Enqueue(SegmentJob job)
    {
        lock (_unfinished)
        {
            _unfinished.Enqueue(job);
            Volatile.Write(ref _head, _unfinished.Peek());
        }

        _jobs.Writer.TryWrite(job);
    }

    /// <summary>More audio was classified, or a segment ended: wakes the writer.</summary>
    public void AudioAvailable()
    {
        _audio.Set();
        _ended.Set();
    }

    /// <summary>Completes once every segment queued so far has its final (or its error) out.</summary>
    public async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (!IsIdle)
        {
            await _idle.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
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
                    await DispatchAsync(job);
                }
                finally
                {
                    lock (_unfinished)
                    {
                        _unfinished.Dequeue();
                        Volatile.Write(ref _head, _unfinished.Count > 0 ? _unfinished.Peek() : null);
                    }

                    job.Audio.Dispose();
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
}
