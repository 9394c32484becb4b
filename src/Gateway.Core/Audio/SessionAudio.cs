namespace Gateway.Core.Audio;

/// <summary>
/// The one owner of a session's audio: its ring and every position on it, the rule that frees it, and the signals
/// that tell the stages when something moved.
/// </summary>
/// <remarks>
/// Positions, in stream order (absolute samples, position 0 is the first accepted sample):
/// <c>Released ≤ SegmenterHeld ≤ Classified ≤ Written</c>.
/// <list type="bullet">
/// <item><see cref="Written"/>: the receive loop's decoder appends (single producer).</item>
/// <item><see cref="Classified"/>: the VAD has delivered every window before it to the pipeline; published by
/// <see cref="OnClassified"/> before the classified signal is set, so a waiter that wakes sees it (the VAD
/// scheduler's own position moves only after its sink returns, which is the missed wake-up this type removes).</item>
/// <item>Segmenter held: the oldest position a segment not announced yet may start at (pre-roll, or the place a
/// max-length cut may land).</item>
/// <item><see cref="Released"/>: min(segmenter held, classified). A segment's audio is not held here: the
/// pipeline copies it into the segment's own buffer as it is classified, so an upstream that does not answer
/// never holds the ring.</item>
/// </list>
/// Concurrency: one producer (the receive loop: <see cref="Ring"/> writes and <see cref="WaitForRoomAsync"/>), one
/// classifier (the VAD worker, or a flush under the pipeline's lock: <see cref="OnClassified"/>), one classified
/// waiter at a time (a finalize). Nothing here allocates per window.
/// </remarks>
public sealed class SessionAudio
{
    private readonly AsyncSignal _classifiedSignal = new();
    private readonly AsyncSignal _spaceFreed = new();
    private long _classified;
    private long _wakeAt = long.MaxValue;
    private Action? _wake;

    public SessionAudio(int capacitySamples)
    {
        Ring = new AudioRing(capacitySamples);
        _classified = Ring.WritePosition;
    }

    /// <summary>The samples. The decoder writes it; the VAD and the pipeline read it; only this type releases it.</summary>
    public AudioRing Ring { get; }

    public int Capacity => Ring.Capacity;

    public long Written => Ring.WritePosition;

    public long Classified => Volatile.Read(ref _classified);

    public long Released => Ring.ReleasedPosition;

    /// <summary>Room left for the producer.</summary>
    public int Free => Ring.Capacity - Ring.Count;

    /// <summary>
    /// The VAD classified everything before <paramref name="classified"/>; the segmenter still needs audio from
    /// <paramref name="segmenterHeld"/>. Frees what nobody needs, then wakes the producer (space) and a finalize
    /// (classified), in that order of publication.
    /// </summary>
    public void OnClassified(long classified, long segmenterHeld)
    {
        if (classified > Volatile.Read(ref _classified))
        {
            Volatile.Write(ref _classified, classified);
        }

        var before = Ring.ReleasedPosition;
        Ring.Release(Math.Min(Math.Min(segmenterHeld, classified), Ring.WritePosition));
        if (Ring.ReleasedPosition != before)
        {
            _spaceFreed.Set();
        }

        _classifiedSignal.Set();
    }

    /// <summary>Completes once everything before <paramref name="position"/> is classified.</summary>
    public async ValueTask WaitClassifiedAsync(long position, CancellationToken cancellationToken)
    {
        while (Classified < position)
        {
            await _classifiedSignal.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Waits until <paramref name="samples"/> fit, <see cref="WakeProducer"/> is called, or the token fires.
    /// True when they fit. The producer's only wait: there is no poll.
    /// </summary>
    public async ValueTask<bool> WaitForRoomAsync(int samples, Func<bool> giveUp, CancellationToken cancellationToken)
    {
        while (Free < samples)
        {
            if (giveUp())
            {
                return false;
            }

            await _spaceFreed.WaitAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Calls <paramref name="wake"/> (the VAD's tick request) from <see cref="OnWritten"/> once the ring reaches the
    /// position given to <see cref="WakeAt"/>. Set once, by the pipeline.
    /// </summary>
    public void SetWake(Action wake) => _wake = wake;

    /// <summary>Arms the wake-up for <paramref name="position"/> (a negative one disarms it). Any thread.</summary>
    public void WakeAt(long position) => Volatile.Write(ref _wakeAt, position < 0 ? long.MaxValue : position);

    /// <summary>
    /// The producer wrote audio: if it reached the armed position, the wake-up runs once (so the endpoint is decided
    /// when its sample arrives, not at the next VAD tick). Per frame: two reads and a compare, no allocation.
    /// </summary>
    public void OnWritten()
    {
        var at = Volatile.Read(ref _wakeAt);
        if (Ring.WritePosition >= at && Interlocked.CompareExchange(ref _wakeAt, long.MaxValue, at) == at)
        {
            _wake?.Invoke();
        }
    }

    /// <summary>Wakes a producer waiting for room so it can see the session is closing.</summary>
    public void WakeProducer() => _spaceFreed.Set();
}
