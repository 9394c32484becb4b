using Gateway.Core.Audio;

namespace Gateway.UnitTests.Audio;

public sealed class ResamplerTests
{
    public static TheoryData<int> InputRates => [8_000, 22_050, 44_100, 48_000];

    [Theory]
    [MemberData(nameof(InputRates))]
    public void Process_SineSweepAboveTheOutputNyquist_IsSuppressedBy60Db(int inputRate)
    {
        // Only downsampling can alias; for 8 kHz the sweep covers the band where images of the input would land.
        var outputNyquist = Math.Min(inputRate, 16_000) / 2.0;
        var (low, high) = inputRate > 16_000 ? (outputNyquist * 1.05, inputRate / 2.0 * 0.98) : (outputNyquist * 1.02, 8_000 * 0.98);
        var input = inputRate > 16_000 ? Sweep(inputRate, low, high, seconds: 2) : Sweep(inputRate, 200, 3_800, seconds: 2);

        var output = Resample(input, inputRate);

        if (inputRate > 16_000)
        {
            // Everything in the sweep lies above the new Nyquist frequency: the output must be (nearly) silent.
            Assert.True(Db(Rms(output.AsSpan(2_000, output.Length - 4_000)) / Rms(input)) <= -60, $"alias level {Db(Rms(output) / Rms(input)):F1} dB");
        }
        else
        {
            // Upsampling: the input's band is kept, and the images it would leave above 4 kHz are suppressed.
            var images = HighPassEnergyRatio(output, 16_000, low);
            Assert.True(Db(images) <= -60, $"image level {Db(images):F1} dB");
        }
    }

    [Theory]
    [MemberData(nameof(InputRates))]
    public void Process_PassbandTone_KeepsItsLevelWithinHalfADecibel(int inputRate)
    {
        var frequency = Math.Min(inputRate, 16_000) / 2.0 * 0.6;
        var input = Tone(inputRate, frequency, seconds: 1);

        var output = Resample(input, inputRate);

        var gainDb = Db(Rms(output.AsSpan(2_000, output.Length - 4_000)) / Rms(input));
        Assert.InRange(gainDb, -0.5, 0.5);
        Assert.InRange(output.Length, 16_000 - 2, 16_000 + 2);
    }

    [Fact]
    public void Process_ChunkedInput_EqualsOneCall()
    {
        var input = Tone(44_100, 1_000, seconds: 0.5);
        var whole = Resample(input, 44_100, chunk: 1024);
        var pieces = Resample(input, 44_100, chunk: 7);

        Assert.Equal(whole.Length, pieces.Length);
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.Equal(whole[i], pieces[i], 5);
        }
    }

    private static float[] Resample(float[] input, int inputRate, int chunk = 1024)
    {
        var resampler = new Resampler(inputRate, 16_000, 1024);
        var output = new List<float>();
        var buffer = new float[resampler.MaxOutput(1024)];
        for (var i = 0; i < input.Length; i += chunk)
        {
            var n = resampler.Process(input.AsSpan(i, Math.Min(chunk, input.Length - i)), buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
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
            var f = from + (to - from) * i / n;
            phase += 2 * Math.PI * f / rate;
            samples[i] = (float)(0.5 * Math.Sin(phase));
        }

        return samples;
    }

    private static float[] Tone(int rate, double frequency, double seconds) =>
        Enumerable.Range(0, (int)(rate * seconds)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();

    private static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x)
        {
            sum += v * (double)v;
        }

        return Math.Sqrt(sum / x.Length);
    }

    private static double Db(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-12));

    /// <summary>Share of the signal's energy above <paramref name="cutoff"/> Hz, by a direct DFT over bins.</summary>
    private static double HighPassEnergyRatio(float[] x, int rate, double cutoff)
    {
        var n = 4096;
        var start = x.Length / 2 - n / 2;
        double total = 0, high = 0;
        for (var k = 1; k < n / 2; k++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < n; i++)
            {
                var w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1)); // Hann
                var a = 2 * Math.PI * k * i / n;
                re += x[start + i] * w * Math.Cos(a);
                im -= x[start + i] * w * Math.Sin(a);
            }

            var power = re * re + im * im;
            total += power;
            if (k * (double)rate / n > cutoff)
            {
                high += power;
            }
        }

        return Math.Sqrt(high / total);
    }
}
