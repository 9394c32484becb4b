using Gateway.Core.Audio;

namespace Gateway.Core.Vad;

/// <summary>One registered stream: its ring, its sink, and the model state and context carried between windows.</summary>
/// <remarks>
/// Concurrency: <see cref="Position"/>, the state and the context are touched only by the worker that holds the
/// stream in the current round (rounds are separated by the scheduler's barrier, so at most one worker at a time).
/// <see cref="Sync"/> orders result delivery against <see cref="VadStreamHandle.Dispose"/>.
/// </remarks>
internal sealed class VadStream
{
    private readonly float[] _state = new float[2 * VadEngine.StateSize];
    private readonly float[] _context = new float[VadEngine.ContextSamples];
    private long _position;
    private bool _removed;

    public VadStream(AudioRing ring, IVadSink sink, long startPosition)
    {
        Ring = ring;
        Sink = sink;
        _position = startPosition;
    }

    public AudioRing Ring { get; }

    public IVadSink Sink { get; }

    public object Sync { get; } = new();

    /// <summary>Absolute position of the next window to classify (everything before it has been delivered).</summary>
    public long Position => Volatile.Read(ref _position);

    public bool Removed => Volatile.Read(ref _removed);

    /// <summary>The last peek position classified (tick thread only), so each position is peeked once.</summary>
    public long PeekedAt { get; set; } = -1;

    /// <summary>Round-local: the number of windows already classified in the current tick.</summary>
    public int WindowsThisTick { get; set; }

    public Span<float> State(int layer) => _state.AsSpan(layer * VadEngine.StateSize, VadEngine.StateSize);

    public ReadOnlySpan<float> Context => _context;

    /// <summary>True when a whole window is waiting.</summary>
    public bool HasWindow => !Removed && Ring.WritePosition - Position >= VadEngine.WindowSamples;

    /// <summary>
    /// Moves past audio the ring no longer holds. Returns the number of whole windows skipped (0 normally):
    /// that only happens if the ring's owner released audio the VAD had not read, which breaks the contract.
    /// </summary>
    public long SkipReleased()
    {
        var released = Ring.ReleasedPosition;
        if (released <= _position)
        {
            return 0;
        }

        var windows = (released - _position + VadEngine.WindowSamples - 1) / VadEngine.WindowSamples;
        Volatile.Write(ref _position, _position + (windows * VadEngine.WindowSamples));
        Array.Clear(_context);
        Array.Clear(_state);
        return windows;
    }

    /// <summary>Keeps the last 64 samples of the just-classified window (input row = context + window) and advances.</summary>
    public void Advance(ReadOnlySpan<float> inputRow)
    {
        inputRow[^VadEngine.ContextSamples..].CopyTo(_context);
        Volatile.Write(ref _position, _position + VadEngine.WindowSamples);
    }

    public void MarkRemoved()
    {
        lock (Sync)
        {
            Volatile.Write(ref _removed, true);
        }
    }
}
