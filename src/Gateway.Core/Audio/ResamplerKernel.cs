using System.Collections.Concurrent;

namespace Gateway.Core.Audio;

/// <summary>
/// Polyphase windowed-sinc (Kaiser) low-pass for a rational rate change L/M, shared by every session
/// converting between the same pair of rates. Immutable once built.
/// </summary>
/// <remarks>
/// The prototype filter runs at the virtual rate in·L. Its cutoff sits just below the lower of the two
/// Nyquist frequencies, so decimation does not alias and interpolation leaves no images. Kaiser β = 8.6
/// gives about 86 dB of stopband attenuation; the transition band is 10 % of the lower Nyquist
/// frequency, ending at it. The sine-sweep tests measure at least 60 dB of suppression.
/// </remarks>
internal sealed class ResamplerKernel
{
    private const double KaiserBeta = 8.6;
    private const double TransitionFraction = 0.10;
    private static readonly ConcurrentDictionary<(int, int), ResamplerKernel> Cache = new();

    private ResamplerKernel(int inputRate, int outputRate)
    {
        var g = Gcd(inputRate, outputRate);
        Up = outputRate / g;
        Down = inputRate / g;

        // Normalised to the virtual rate in·L: Nyquist of the lower rate is 0.5/max(L, M).
        var lowerNyquist = 0.5 / Math.Max(Up, Down);
        var transition = lowerNyquist * TransitionFraction;
        var cutoff = lowerNyquist - transition / 2;

        // Kaiser's estimate of the length for the attenuation that β gives.
        var attenuationDb = KaiserBeta / 0.1102 + 8.7;
        var length = (int)Math.Ceiling((attenuationDb - 8) / (2.285 * 2 * Math.PI * transition)) + 1;
        TapsPerPhase = (length + Up - 1) / Up;
        length = TapsPerPhase * Up;

        var prototype = new double[length];
        var centre = (length - 1) / 2.0;
        var i0Beta = BesselI0(KaiserBeta);
        for (var n = 0; n < length; n++)
        {
            var t = n - centre;
            var sinc = t == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            var r = t / centre;
            var window = BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0, 1 - r * r))) / i0Beta;
            prototype[n] = sinc * window * Up; // ×L restores the gain lost to zero-stuffing
        }

        // Phase-major, taps reversed, so each output sample is one contiguous dot product with the
        // newest TapsPerPhase input samples.
        Coefficients = new float[length];
        for (var p = 0; p < Up; p++)
        {
            for (var k = 0; k < TapsPerPhase; k++)
            {
                Coefficients[p * TapsPerPhase + (TapsPerPhase - 1 - k)] = (float)prototype[p + k * Up];
            }
        }

        DelaySamples = centre / Up; // group delay, in input samples
    }

    /// <summary>Interpolation factor L.</summary>
    public int Up { get; }

    /// <summary>Decimation factor M.</summary>
    public int Down { get; }

    public int TapsPerPhase { get; }

    /// <summary>Phase p's taps are <c>[p·TapsPerPhase, (p+1)·TapsPerPhase)</c>, oldest input first.</summary>
    public float[] Coefficients { get; }

    /// <summary>Group delay of the filter in input samples.</summary>
    public double DelaySamples { get; }

    public static ResamplerKernel For(int inputRate, int outputRate) =>
        Cache.GetOrAdd((inputRate, outputRate), static k => new ResamplerKernel(k.Item1, k.Item2));

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= half / k;
            sum += term * term;
            if (term * term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
