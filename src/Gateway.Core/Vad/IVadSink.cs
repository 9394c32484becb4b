namespace Gateway.Core.Vad;

/// <summary>Receives a stream's speech probabilities.</summary>
/// <remarks>
/// Called on a VAD worker thread, in window order, never concurrently for the same stream, and never after the
/// stream's <see cref="VadStreamHandle"/> has been disposed. Implementations must not block and must not allocate:
/// this is the per-window hot path.
/// </remarks>
public interface IVadSink
{
    /// <param name="windowStart">Absolute sample position of the window's first sample (windows are 512 samples, 32 ms).</param>
    /// <param name="probability">Silero speech probability in [0, 1]; 0 for a window skipped by the energy gate.</param>
    void OnWindow(long windowStart, float probability);

    /// <summary>
    /// Absolute position at which the sink decides something if the audio just before it is not speech (the
    /// segmenter's endpoint: the silence start plus the endpoint silence), or -1. When that position falls inside a
    /// window and the ring has reached it, the VAD classifies the 512 samples ending there once, with a copy of the
    /// stream's state (nothing is committed), and hands the probability to <see cref="OnPeek"/>, always before the
    /// window that contains it (even if that window is already whole): the decision is taken at the sample, not at the
    /// end of the window, and does not depend on how the audio arrived. Read on a VAD worker; must not allocate.
    /// </summary>
    long PeekPosition => -1;

    /// <param name="windowEnd">The <see cref="PeekPosition"/> that was peeked (the peek window ends there).</param>
    /// <param name="probability">Silero speech probability of the 512 samples ending at <paramref name="windowEnd"/>.</param>
    void OnPeek(long windowEnd, float probability)
    {
    }
}
