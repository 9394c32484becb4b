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
}
