using Gateway.Core.Audio;
using Gateway.Core.Dispatch;
using Gateway.Core.Results;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;
using Gateway.Core.Vad;

namespace Gateway.Core.Pipeline;

/// <summary>
/// A session's data path after the ring (steps 4-8 of docs/architecture): the shared VAD classifies its windows,
/// its segmenter turns them into speech events, and each segment's audio is copied out of the ring into the
/// segment's own buffer as it is classified; its dispatcher sends each segment upstream and returns results.
/// Speech events therefore go out in real time whatever the upstream does, and the ring is freed by
/// classification alone (<see cref="SessionAudio.OnClassified"/>), never by an upstream answer.
/// </summary>
/// <remarks>
/// <see cref="OnWindow"/> and the segment events run on a VAD worker (never concurrently for one session) and
/// must not block; Finalize/Drain run on the session's receive loop. Both take <see cref="_sync"/>, so a flush
/// never interleaves with a window.
/// </remarks>
internal sealed class SpeechPipeline : ISpeechPipeline, IVadSink, ISegmentListener
{
    private const int WindowSamples = 512;

    private readonly SessionContext _session;
    private readonly SessionAudio _audio;
    private readonly Segmenter _segmenter;
    private readonly SegmentDispatcher _dispatcher;
    private readonly VadStreamHandle _vad;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly long _origin;
    private long _classified;
    private long _peekArmed = -1;
    private SegmentJob? _open;
    private long _nextSegmentId;

    public SpeechPipeline(SessionContext session, SegmenterSettings settings, VadScheduler scheduler, DispatchServices dispatch)
    {
        _session = session;
        _audio = session.Audio;
        _time = dispatch.Time;
        _origin = _audio.Written;
        _classified = _origin;
        _segmenter = new Segmenter(settings, this, _origin);
        _dispatcher = new SegmentDispatcher(session, dispatch);
        _vad = scheduler.Register(_audio.Ring, this);
        _audio.SetWake(_vad.RequestTick);
    }

    public long PeekPosition => _segmenter.PeekPosition;

    public void OnWindow(long windowStart, float probability)
    {
        lock (_sync)
        {
            _classified = windowStart + WindowSamples;
            _segmenter.OnWindow(windowStart, probability);
            CopyOpenSegment();
            // Published here, before the signal, not by the VAD after this returns: a finalize that wakes sees it.
            _audio.OnClassified(_classified, _segmenter.OldestNeededPosition);
            ArmPeekWake();
        }

        _dispatcher.AudioAvailable();
    }

    public void OnPeek(long windowEnd, float probability)
    {
        lock (_sync)
        {
            _segmenter.OnPeek(windowEnd, probability);
            CopyOpenSegment();
            _audio.OnClassified(_classified, _segmenter.OldestNeededPosition);
            ArmPeekWake();
        }

        _dispatcher.AudioAvailable();
    }

    public void OnSpeechStarted(SpeechStart start)
    {
        var job = new SegmentJob(++_nextSegmentId, start.StartPosition, _time.GetTimestamp());
        _open = job;
        _session.Emit(new SpeechStartedEvent(job.Id, job.Start));
        CopyOpenSegment(); // the pre-roll, from the ring
        _dispatcher.Enqueue(job);
    }

    public void OnSpeechEnded(SpeechSegment segment)
    {
        var job = _open ?? throw new InvalidOperationException("A segment ended that never started.");
        _open = null;
        var copied = job.Start + job.Audio.Samples;
        if (segment.EndPosition > copied)
        {
            job.Audio.Append(_audio.Ring, copied, (int)(segment.EndPosition - copied));
        }

        job.Finish(segment.EndPosition, segment.Reason, _time.GetTimestamp());
        _session.Emit(new SpeechEndedEvent(job.Id, segment.StartPosition, segment.EndPosition, Cause(segment.Reason)));
        _dispatcher.Ended(job);
    }

    public async Task FinalizeAsync(CancellationToken cancellationToken)
    {
        // Everything received so far is classified first (whole windows; a tail under 32 ms cannot be), so the
        // flush ends speech where the client's audio ends, not where VAD happened to be.
        var written = _audio.Written;
        await _audio.WaitClassifiedAsync(_origin + (written - _origin) / WindowSamples * WindowSamples, cancellationToken);
        Flush();
        await _dispatcher.WaitIdleAsync(cancellationToken);
    }

    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FinalizeAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: every segment still pending gets its error now instead of vanishing with the session.
            Flush();
            _dispatcher.FailPending("the session closed before an upstream transcribed this segment (Sessions:DrainTimeout)");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _vad.Dispose();
        await _dispatcher.DisposeAsync();
    }

    private void Flush()
    {
        lock (_sync)
        {
            _segmenter.Flush();
            _audio.OnClassified(_classified, _segmenter.OldestNeededPosition);
        }

        _dispatcher.AudioAvailable();
    }

    /// <summary>The receive loop wakes the VAD when its audio reaches the endpoint (armed once per position).</summary>
    private void ArmPeekWake()
    {
        var at = _segmenter.PeekPosition;
        if (at != _peekArmed)
        {
            _peekArmed = at;
            _audio.WakeAt(at);
        }
    }

    /// <summary>The open segment takes its audio out of the ring up to what is classified.</summary>
    private void CopyOpenSegment()
    {
        if (_open is { } job)
        {
            var copied = job.Start + job.Audio.Samples;
            if (_classified > copied)
            {
                job.Audio.Append(_audio.Ring, copied, (int)(_classified - copied));
            }
        }
    }

    private static string Cause(SegmentEndReason reason) => reason switch
    {
        SegmentEndReason.EndpointSilence => "endpoint",
        SegmentEndReason.SpeechEnd => "speech_end",
        SegmentEndReason.MaxLength => "max_length",
        _ => "finalize",
    };
}
