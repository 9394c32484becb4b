using Gateway.Core.Dispatch;
using Gateway.Core.Results;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;
using Gateway.Core.Vad;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A session's data path after the ring (steps 4-8 of docs/architecture): the shared VAD classifies its windows,
/// its segmenter turns them into speech events, its dispatcher sends each segment upstream and returns results.
/// It also owns the ring's release: audio is freed once neither the segmenter (pre-roll, open speech) nor the
/// dispatcher (a segment waiting for its final) needs it.
/// </summary>
/// <remarks>
/// <see cref="OnWindow"/> and the segment events run on a VAD worker (never concurrently for one session) and
/// must not block; Finalize/Drain run on the session's receive loop.
/// </remarks>
internal sealed class SpeechPipeline : ISpeechPipeline, IVadSink, ISegmentListener
{
    private const int WindowSamples = 512;

    private readonly SessionContext _session;
    private readonly Segmenter _segmenter;
    private readonly SegmentDispatcher _dispatcher;
    private readonly VadStreamHandle _vad;
    private readonly TimeProvider _time;
    private readonly AsyncSignal _classified = new();
    private readonly long _origin;
    private SegmentJob? _open;
    private long _nextSegmentId;

    public SpeechPipeline(SessionContext session, SegmenterSettings settings, VadScheduler scheduler, DispatchServices dispatch)
    {
        _session = session;
        _time = dispatch.Time;
        _origin = session.Ring.WritePosition;
        _segmenter = new Segmenter(settings, this, _origin);
        _dispatcher = new SegmentDispatcher(session, dispatch, () => _vad!.ClassifiedPosition);
        _vad = scheduler.Register(session.Ring, this);
    }

    public void OnWindow(long windowStart, float probability)
    {
        _segmenter.OnWindow(windowStart, probability);
        var ring = _session.Ring;
        ring.Release(Math.Min(Math.Min(_segmenter.OldestNeededPosition, _dispatcher.OldestHeld), ring.WritePosition));
        _dispatcher.AudioAvailable();
        _classified.Set();
    }

    public void OnSpeechStarted(SpeechStart start)
    {
        var job = new SegmentJob(++_nextSegmentId, start.StartPosition);
        _open = job;
        _session.Emit(new SpeechStartedEvent(job.Id, job.Start));
        _dispatcher.Enqueue(job);
    }

    public void OnSpeechEnded(SpeechSegment segment)
    {
        var job = _open ?? throw new InvalidOperationException("A segment ended that never started.");
        _open = null;
        job.Finish(segment.EndPosition, segment.Reason, _time.GetTimestamp());
        _session.Emit(new SpeechEndedEvent(job.Id, segment.StartPosition, segment.EndPosition, Cause(segment.Reason)));
        _dispatcher.AudioAvailable();
    }

    public async Task FinalizeAsync(CancellationToken cancellationToken)
    {
        // Everything received so far is classified first (whole windows; a tail under 32 ms cannot be), so the
        // flush ends speech where the client's audio ends, not where VAD happened to be.
        var written = _session.Ring.WritePosition;
        var target = _origin + (written - _origin) / WindowSamples * WindowSamples;
        while (_vad.ClassifiedPosition < target)
        {
            await _classified.WaitAsync(cancellationToken);
        }

        _segmenter.Flush();
        _dispatcher.AudioAvailable();
        await _dispatcher.WaitIdleAsync(cancellationToken);
    }

    public Task DrainAsync(CancellationToken cancellationToken) => FinalizeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _vad.Dispose();
        await _dispatcher.DisposeAsync();
    }

    private static string Cause(SegmentEndReason reason) => reason switch
    {
        SegmentEndReason.EndpointSilence => "endpoint",
        SegmentEndReason.MaxLength => "max_length",
        _ => "finalize",
    };
}
