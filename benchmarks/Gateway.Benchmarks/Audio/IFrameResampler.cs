namespace Gateway.Benchmarks.Audio;

/// <summary>A streaming mono float resampler as the session front end would drive it: one client frame per call.</summary>
internal interface IFrameResampler
{
    string Name { get; }

    /// <summary>Converts one frame; returns the outputs written.</summary>
    int Process(ReadOnlySpan<float> input, Span<float> output);
}
