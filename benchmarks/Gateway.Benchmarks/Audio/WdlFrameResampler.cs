using NAudio.Dsp;

namespace Gateway.Benchmarks.Audio;

/// <summary>
/// NAudio.Core's port of Cockos WDL's resampler, fed one frame at a time (feed mode). <see cref="Sinc"/> is its
/// windowed-sinc mode (64 taps, 32 interpolated phases); <see cref="NAudioDefault"/> is what NAudio's
/// <c>WdlResamplingSampleProvider</c> uses: linear interpolation behind two cascaded IIR low-passes.
/// </summary>
internal sealed class WdlFrameResampler : IFrameResampler
{
    private readonly WdlResampler _resampler = new();

    private WdlFrameResampler(string name, int inputRate, int outputRate, bool sinc)
    {
        Name = name;
        if (sinc)
        {
            _resampler.SetMode(true, 0, true, 64, 32);
        }
        else
        {
            _resampler.SetMode(true, 2, false);
            _resampler.SetFilterParms();
        }

        _resampler.SetFeedMode(true);
        _resampler.SetRates(inputRate, outputRate);
    }

    public string Name { get; }

    public static WdlFrameResampler Sinc(int inputRate, int outputRate) => new("NAudio WDL, sinc 64", inputRate, outputRate, sinc: true);

    public static WdlFrameResampler NAudioDefault(int inputRate, int outputRate) =>
        new("NAudio WDL, NAudio default (linear + 2 IIR)", inputRate, outputRate, sinc: false);

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var accepted = _resampler.ResamplePrepare(input.Length, 1, out var buffer);
        input[..accepted].CopyTo(buffer);
        return _resampler.ResampleOut(output, accepted, output.Length, 1);
    }
}
