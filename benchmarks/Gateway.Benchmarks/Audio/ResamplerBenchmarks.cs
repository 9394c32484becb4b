using BenchmarkDotNet.Attributes;

namespace Gateway.Benchmarks.Audio;

/// <summary>
/// One 20 ms mono frame to 16 kHz: our polyphase resampler next to NAudio.Core's WDL resampler in its sinc mode
/// and in the mode NAudio's sample provider uses. Stop-band attenuation of the same three: <c>-- stopband</c>.
/// </summary>
[MemoryDiagnoser]
public class ResamplerBenchmarks
{
    private float[] _frame = null!;
    private float[] _output = null!;
    private OurResampler _ours = null!;
    private WdlFrameResampler _wdlSinc = null!;
    private WdlFrameResampler _wdlDefault = null!;

    [Params(8_000, 44_100, 48_000)]
    public int InputRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var samples = InputRate / 50;
        _frame = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            _frame[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / InputRate));
        }

        _output = new float[(16_000 / 50) + 64];
        _ours = new OurResampler(InputRate, 16_000, samples);
        _wdlSinc = WdlFrameResampler.Sinc(InputRate, 16_000);
        _wdlDefault = WdlFrameResampler.NAudioDefault(InputRate, 16_000);
    }

    [Benchmark(Baseline = true, Description = "polyphase Kaiser (ours)")]
    public int Ours() => _ours.Process(_frame, _output);

    [Benchmark(Description = "NAudio WDL sinc 64")]
    public int WdlSinc() => _wdlSinc.Process(_frame, _output);

    [Benchmark(Description = "NAudio WDL default (linear + IIR)")]
    public int WdlDefault() => _wdlDefault.Process(_frame, _output);
}
