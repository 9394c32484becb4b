using System.Numerics;
using System.Runtime.InteropServices;

namespace Gateway.Core.Audio;

/// <summary>
/// Streaming band-limited rate converter (polyphase FIR, see <see cref="ResamplerKernel"/>). Input may
/// arrive in chunks of any size; output is the same as converting the whole stream at once.
/// </summary>
/// <remarks>Not thread-safe: one per session, driven by its receive loop. Allocates only at construction.</remarks>
internal sealed class Resampler
{
    private readonly ResamplerKernel _kernel;
    private readonly float[] _history; // the newest TapsPerPhase-1 inputs, then room for a chunk
    private readonly int _maxChunk;
    private int _historyCount;
    private long _phase; // position of the next output on the virtual in·L grid, relative to _history[0]

    public Resampler(int inputRate, int outputRate, int maxChunk)
    {
        _kernel = ResamplerKernel.For(inputRate, outputRate);
        _maxChunk = maxChunk;
        _history = new float[_kernel.TapsPerPhase - 1 + maxChunk];
        // Start with a zero history so the first output lines up with the first input (the filter's
        // delay is reported by DelaySamples; the session compensates nothing: VAD tolerates it).
        _historyCount = _kernel.TapsPerPhase - 1;
        _phase = (long)(_kernel.TapsPerPhase - 1) * _kernel.Up;
    }

    /// <summary>Largest number of outputs one call can produce for <paramref name="inputCount"/> inputs.</summary>
    public int MaxOutput(int inputCount) => (int)(((long)inputCount * _kernel.Up) / _kernel.Down) + 2;

    public int MaxChunk => _maxChunk;

    /// <summary>Converts one chunk (at most <see cref="MaxChunk"/> samples); returns the outputs written.</summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length > _maxChunk)
        {
            throw new ArgumentException($"At most {_maxChunk} samples per call.", nameof(input));
        }

        input.CopyTo(_history.AsSpan(_historyCount));
        var available = _historyCount + input.Length;
        var taps = _kernel.TapsPerPhase;
        var up = _kernel.Up;
        var down = _kernel.Down;
        var coefficients = _kernel.Coefficients;
        var produced = 0;

        // Output at virtual time t uses inputs (t/L - taps + 1 .. t/L] with phase t % L.
        while (true)
        {
            var newest = _phase / up;
            if (newest >= available)
            {
                break;
            }

            var phase = (int)(_phase % up);
            var window = _history.AsSpan((int)newest - taps + 1, taps);
            output[produced++] = Dot(coefficients.AsSpan(phase * taps, taps), window);
            _phase += down;
        }

        // Keep the newest taps-1 inputs for the next call.
        var keep = taps - 1;
        var drop = available - keep;
        _history.AsSpan(drop, keep).CopyTo(_history);
        _historyCount = keep;
        _phase -= (long)drop * up;
        return produced;
    }

    // PERF: SIMD dot product; for 48 kHz → 16 kHz this is the whole per-sample cost (see AudioDecodeBenchmarks).
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var v = 0; v < va.Length; v++)
            {
                sum += va[v] * vb[v];
            }

            i = va.Length * Vector<float>.Count;
        }

        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
