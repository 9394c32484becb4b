using Gateway.Core.Vad;

namespace Gateway.Core.Segmentation;

/// <summary>
/// Turns one stream's VAD probabilities into speech segments with hysteresis, minimum speech, endpoint silence,
/// maximum length and pre-/post-roll padding, in absolute stream positions.
/// </summary>
/// <remarks>
/// Concurrency: <see cref="OnWindow"/> is called by the VAD (one worker at a time, in order); <see cref="Flush"/>
/// may be called from any other thread (the session's receive loop on "finalize"). Both take the segmenter's lock,
/// and events are raised under it on the calling thread. <see cref="OldestNeededPosition"/> may be read from any thread.
/// OnWindow allocates nothing; events are per segment.
/// </remarks>
public sealed class Segmenter : IVadSink
{
    // Max-length cuts look this far back for the quietest window (64 windows, about 2 s).
    private const int RecentWindows = 64;

    private readonly ISegmentListener _listener;
    private readonly Lock _sync = new();
    private readonly float _threshold;
    private readonly float _negThreshold;
    private readonly long _minSpeech;
    private readonly long _endpointSilence;
    private readonly long _maxSegment;
    private readonly long _preRoll;
    private readonly long _postRoll;
    private readonly bool _closeAtSpeechEnd;
    private readonly float[] _recent = new float[RecentWindows];
    private State _state;
    private long _floor;
    private long _classified;
    private long _pendingStart;
    private long _speechStart;
    private long _segmentStart;
    private long _silenceStart = -1;
    private long _oldestNeeded;
    private long _endpointAt = -1;
    private bool _seenWindow;

    /// <param name="settings">Resolved settings (see <see cref="SegmenterSettings.TryResolve"/>).</param>
    /// <param name="listener">Receives speech_started / speech_ended events.</param>
    /// <param name="startPosition">
    /// Absolute position of the first window the VAD will deliver (the ring's write position at registration);
    /// if the first window arrives later, that window's start is used.
    /// </param>
    public Segmenter(SegmenterSettings settings, ISegmentListener listener, long startPosition = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(listener);
        _listener = listener;
        _threshold = (float)settings.Threshold;
        _negThreshold = (float)settings.NegThreshold;
        _minSpeech = SegmentTime.ToSamples(settings.MinSpeechMs);
        _endpointSilence = SegmentTime.ToSamples(settings.EndpointSilenceMs);
        _maxSegment = SegmentTime.ToSamples(settings.MaxSegmentMs);
        _preRoll = SegmentTime.ToSamples(settings.PreRollMs);
        _postRoll = Math.Min(SegmentTime.ToSamples(settings.PostRollMs), _endpointSilence);
        _closeAtSpeechEnd = settings.CloseAtSpeechEnd && _postRoll < _endpointSilence;
        _floor = startPosition;
        _classified = startPosition;
        _oldestNeeded = startPosition;
    }

    private enum State
    {
        Silence,
        Pending,
        Speech,

        /// <summary>
        /// CloseAtSpeechEnd: the segment was closed at the speech end and the endpoint silence has not passed yet;
        /// speech resuming now opens the next segment at once, starting where the closed one ended.
        /// </summary>
        Trailing,
    }

    /// <summary>
    /// Oldest absolute position a segment not announced yet may still start at: while speech is open, the earliest
    /// place a max-length cut can land (the next segment starts there; about 2 s back, never before the open
    /// segment's start); while pending, its padded start; otherwise the classified position minus the pre-roll.
    /// An announced segment's own audio is the dispatcher's to hold, so a segment longer than the ring does not
    /// pin it. The session releases its ring up to min(this, what the dispatcher still holds).
    /// </summary>
    public long OldestNeededPosition => Volatile.Read(ref _oldestNeeded);

    /// <summary>
    /// While an open segment's silence runs: the absolute position where the endpoint silence is complete
    /// (silence start + endpoint silence), so <see cref="OnPeek"/> can close the segment at that sample rather than
    /// at the end of the 32 ms window that contains it; otherwise -1. May be read from any thread.
    /// </summary>
    public long PeekPosition => Volatile.Read(ref _endpointAt);

    /// <summary>True while a segment is open (speech_started sent, speech_ended not yet).</summary>
    public bool InSpeech
    {
        get
        {
            lock (_sync)
            {
                return _state == State.Speech;
            }
        }
    }

    public void OnWindow(long windowStart, float probability)
    {
        lock (_sync)
        {
            if (!_seenWindow)
            {
                // The VAD may start later than the position given at construction: pre-roll never reaches before it.
                _seenWindow = true;
                _floor = Math.Max(_floor, windowStart);
            }

            var windowEnd = windowStart + VadEngine.WindowSamples;
            _classified = windowEnd;
            _recent[(int)((windowStart / VadEngine.WindowSamples) % RecentWindows)] = probability;
            switch (_state)
            {
                case State.Silence when probability >= _threshold:
                    _pendingStart = windowStart;
                    _silenceStart = -1;
                    _state = State.Pending;
                    OpenIfLongEnough(windowEnd);
                    break;
                case State.Pending:
                    TrackSilence(windowStart, probability);
                    if (_silenceStart >= 0 && windowEnd - _silenceStart >= _endpointSilence)
                    {
                        _state = State.Silence; // ended before reaching the minimum speech: never announced
                    }
                    else
                    {
                        OpenIfLongEnough(windowEnd);
                    }

                    break;
                case State.Speech:
                    TrackSilence(windowStart, probability);
                    if (_silenceStart >= 0 && windowEnd - _silenceStart >= _endpointSilence)
                    {
                        Close(_silenceStart, _silenceStart + _postRoll, SegmentEndReason.EndpointSilence);
                    }
                    else if (_closeAtSpeechEnd && _silenceStart >= 0 && windowEnd - _silenceStart >= _postRoll)
                    {
                        // The post-roll is classified and still silent: end the segment here (its connection goes
                        // back as soon as the final is in) and wait out the endpoint silence without one.
                        Close(_silenceStart, _silenceStart + _postRoll, SegmentEndReason.SpeechEnd);
                        _state = State.Trailing;
                    }
                    else if (windowEnd - _segmentStart >= _maxSegment)
                    {
                        CutAtQuietest(windowEnd);
                    }

                    break;
                case State.Trailing when probability >= _threshold:
                    // Speech resumed within the endpoint silence: a new segment at once (no minimum speech, so no
                    // sound the unsplit segment would have carried is dropped), contiguous with the closed one.
                    _pendingStart = windowStart;
                    _silenceStart = -1;
                    Open(_floor);
                    break;
                case State.Trailing when windowEnd - _silenceStart >= _endpointSilence:
                    _state = State.Silence;
                    break;
            }

            UpdateOldestNeeded();
        }
    }

    /// <summary>
    /// The VAD classified the 512 samples ending at <paramref name="windowEnd"/> ahead of the whole window. If that is
    /// the endpoint of the open segment and the audio is not speech (below the threshold: the silence is not
    /// forgotten), the endpoint silence is complete at that sample and the segment ends, with the segment
    /// <see cref="OnWindow"/> would end one window later. Otherwise nothing changes and the windows decide. The VAD
    /// peeks before it classifies the window that contains the endpoint, however the audio arrived, so this decision
    /// depends on the samples only.
    /// </summary>
    public void OnPeek(long windowEnd, float probability)
    {
        lock (_sync)
        {
            if (_state != State.Speech || windowEnd != _endpointAt || probability >= _threshold)
            {
                return;
            }

            Close(_silenceStart, _silenceStart + _postRoll, SegmentEndReason.EndpointSilence);
            UpdateOldestNeeded();
        }
    }

    /// <summary>
    /// Closes the open segment now (reason <see cref="SegmentEndReason.Flush"/>), for the client's "finalize" or the
    /// end of the stream. Speech still shorter than the minimum is discarded. Safe from any thread.
    /// </summary>
    public void Flush()
    {
        lock (_sync)
        {
            if (_state == State.Speech)
            {
                var speechEnd = _silenceStart >= 0 ? _silenceStart : _classified;
                Close(speechEnd, Math.Min(speechEnd + _postRoll, _classified), SegmentEndReason.Flush);
            }

            _state = State.Silence;
            UpdateOldestNeeded();
        }
    }

    /// <summary>Hysteresis: silence starts below the negative threshold and is forgotten only at or above the threshold.</summary>
    private void TrackSilence(long windowStart, float probability)
    {
        if (probability >= _threshold)
        {
            _silenceStart = -1;
        }
        else if (probability < _negThreshold && _silenceStart < 0)
        {
            _silenceStart = windowStart;
        }
    }

    /// <summary>
    /// Announces pending speech once it spans the minimum duration and is speech right now; short dips (a stop
    /// consonant, a breath) inside it do not cancel it, only endpoint silence does.
    /// </summary>
    private void OpenIfLongEnough(long windowEnd)
    {
        if (_silenceStart < 0 && windowEnd - _pendingStart >= _minSpeech)
        {
            Open();
        }
    }

    private void Open() => Open(Math.Max(_pendingStart - _preRoll, _floor));

    private void Open(long segmentStart)
    {
        _speechStart = _pendingStart;
        _segmentStart = segmentStart;
        _state = State.Speech;
        _listener.OnSpeechStarted(new SpeechStart(_segmentStart, _speechStart));
    }

    private void Close(long speechEnd, long end, SegmentEndReason reason)
    {
        _state = State.Silence;
        _floor = end;
        _listener.OnSpeechEnded(new SpeechSegment(_segmentStart, end, _speechStart, speechEnd, reason));
    }

    /// <summary>Ends the segment in the middle of the least speech-like recent window and opens the next one there.</summary>
    private void CutAtQuietest(long windowEnd)
    {
        // Only windows that leave the first part at least the minimum speech long are candidates.
        var earliest = Math.Max(_segmentStart + _minSpeech, windowEnd - (RecentWindows * VadEngine.WindowSamples));
        var cutWindow = windowEnd - VadEngine.WindowSamples;
        var lowest = float.MaxValue;
        for (var start = cutWindow; start >= earliest; start -= VadEngine.WindowSamples)
        {
            var p = _recent[(int)((start / VadEngine.WindowSamples) % RecentWindows)];
            if (p < lowest)
            {
                lowest = p;
                cutWindow = start;
            }
        }

        var cut = cutWindow + (VadEngine.WindowSamples / 2);
        var silenceStart = _silenceStart;
        Close(cut, cut, SegmentEndReason.MaxLength);
        _pendingStart = cut;
        Open();
        // Silence that began before the cut continues into the new segment and still counts towards its endpoint.
        _silenceStart = silenceStart >= 0 ? Math.Max(silenceStart, cut) : -1;
    }

    private void UpdateOldestNeeded()
    {
        var oldest = _state switch
        {
            State.Speech => Math.Max(_segmentStart, _classified - (RecentWindows * VadEngine.WindowSamples)),
            State.Pending => Math.Max(_pendingStart - _preRoll, _floor),
            State.Trailing => _floor,
            _ => Math.Max(_classified - _preRoll, _floor),
        };
        Volatile.Write(ref _oldestNeeded, oldest);
        // Only the endpoint of a segment that ends there; CloseAtSpeechEnd closes at the post-roll, before it.
        var endpointAt = _state == State.Speech && _silenceStart >= 0 && !_closeAtSpeechEnd ? _silenceStart + _endpointSilence : -1;
        Volatile.Write(ref _endpointAt, endpointAt);
    }
}
