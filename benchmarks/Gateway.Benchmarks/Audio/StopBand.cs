using System.Globalization;

namespace Gateway.Benchmarks.Audio;

/// <summary>
/// Measures what each resampler lets through where it must not (<c>-- stopband</c>): for downsampling, a sweep
/// lying wholly above the output Nyquist frequency (everything that comes out is alias); for 8 kHz upsampling,
/// the output's energy above 4 kHz (images). Also the passband gain of a tone at 60 % of the lower Nyquist.
/// Fed in 20 ms frames, as a session does. The same measurement as tests/Gateway.UnitTests/Audio/ResamplerTests.
/// </summary>
internal static class StopBand
{
    private const int OutputRate = 16_000;

    public static void Run(TextWriter output)
    {
        output.WriteLine("| input rate | resampler | stop band (alias / image level) | passband gain at 0.6 x Nyquist |");
        output.WriteLine("|---:|---|---:|---:|");
        foreach (var rate in new[] { 8_000, 22_050, 44_100, 48_000 })
        {
            foreach (var make in new Func<int, IFrameResampler>[]
            {
                r => new OurResampler(r, OutputRate, r / 50),
                r => WdlFrameResampler.Sinc(r, OutputRate),
                r => WdlFrameResampler.NAudioDefault(r, OutputRate),
            })
            {
                var stop = StopBandDb(make, rate);
                var pass = PassbandDb(make, rate);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rate} | {make(rate).Name} | {stop:F1} dB | {pass:F2} dB |"));
            }
        }
    }

    private static double StopBandDb(Func<int, IFrameResampler> make, int rate)
    {
        if (rate > OutputRate)
        {
            var input = Sweep(rate, OutputRate / 2.0 * 1.05, rate / 2.0 * 0.98, seconds: 2);
            var output = Resample(make(rate), input, rate);
            return Db(Rms(output.AsSpan(2_000, output.Length - 4_000)) / Rms(input));
        }

        var low = Resample(make(rate), Sweep(rate, 200, 3_800, seconds: 2), rate);
        return Db(HighPassEnergyRatio(low, rate / 2.0 * 1.02));
    }

    private static double PassbandDb(Func<int, IFrameResampler> make, int rate)
    {
        var input = Tone(rate, Math.Min(rate, OutputRate) / 2.0 * 0.6, seconds: 1);
        var output = Resample(make(rate), input, rate);
        return Db(Rms(output.AsSpan(2_000, output.Length - 4_000)) / Rms(input));
    }

    private static float[] Resample(IFrameResampler resampler, float[] input, int rate)
    {
        var frame = rate / 50;
        var output = new List<float>();
        var buffer = new float[OutputRate];
        for (var at = 0; at < input.Length; at += frame)
        {
            var n = resampler.Process(input.AsSpan(at, Math.Min(frame, input.Length - at)), buffer);
            output.AddRange(buffer.AsSpan(0, n));
        }

        return [.. output];
    }

    private static float[] Sweep(int rate, double from, double to, double seconds)
    {
        var n = (int)(rate * seconds);
        var samples = new float[n];
        double phase = 0;
        for (var i = 0; i < n; i++)
        {
            var f = from * Math.Pow(to / from, (double)i / n);
            phase += 2 * Math.PI * f / rate;
            samples[i] = (float)(0.5 * Math.Sin(phase));
        }

        return samples;
    }

    private static float[] Tone(int rate, double frequency, double seconds)
    {
        var samples = new float[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate));
        }

        return samples;
    }

    /// <summary>Share of the energy above <paramref name="cutoff"/> Hz, by a DFT over the middle of the signal.</summary>
    private static double HighPassEnergyRatio(float[] signal, double cutoff)
    {
        var n = 4_096;
        var start = (signal.Length - n) / 2;
        double total = 0, high = 0;
        for (var k = 1; k < n / 2; k++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < n; i++)
            {
                var w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
                var angle = 2 * Math.PI * k * i / n;
                re += w * signal[start + i] * Math.Cos(angle);
                im -= w * signal[start + i] * Math.Sin(angle);
            }

            var power = re * re + im * im;
            total += power;
            if ((double)k * OutputRate / n > cutoff)
            {
                high += power;
            }
        }

        return Math.Sqrt(high / total);
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    private static double Db(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-12));
}
