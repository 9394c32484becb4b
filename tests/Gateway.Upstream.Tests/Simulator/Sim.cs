using FunAsr.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Upstream.Tests.Simulator;

/// <summary>Starts simulators for tests: ephemeral port, no simulated latency, a fixed clock for exact JSON.</summary>
internal static class Sim
{
    /// <summary>The connection-open epoch-ms every 2pass message carries under the fixed clock.</summary>
    public const long Epoch = 1755750000000;

    /// <remarks>Delays run on the options' TimeProvider: a test that sets a latency or ExtraDelay also sets <c>TimeProvider.System</c>.</remarks>
    public static Task<SimulatorHost> StartAsync(SimulatorFlavour flavour, Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions
        {
            Flavour = flavour,
            StepLatency = TimeSpan.Zero,
            FinalLatency = TimeSpan.Zero,
            TimeProvider = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Epoch)),
        };
        configure?.Invoke(options);
        return FunAsrSimulator.StartAsync(options);
    }

    /// <summary>Sample range of a word's complete watermark frames: [start, start + whole frames).</summary>
    public static (int StartMs, int EndMs) WordSpan(int startMs, int durationMs, string word)
    {
        var frame = FunAsr.Simulator.Content.Watermark.FrameSamples(word);
        var samples = durationMs * Audio.SamplesPerMs;
        var start = startMs * Audio.SamplesPerMs;
        return (startMs, (start + (samples / frame * frame)) / Audio.SamplesPerMs);
    }
}
