using Gateway.Core.Audio;

namespace Gateway.Benchmarks.Audio;

/// <summary>Our polyphase Kaiser resampler (src/Gateway.Core/Audio/Resampler.cs).</summary>
internal sealed class OurResampler(int inputRate, int outputRate, int maxChunk) : IFrameResampler
{
    private readonly Resampler _resampler = new(inputRate, outputRate, maxChunk);

    public string Name => "polyphase Kaiser (ours)";

    public int Process(ReadOnlySpan<float> input, Span<float> output) => _resampler.Process(input, output);
}
