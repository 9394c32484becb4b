using FunAsr.Simulator.Capacity;
using FunAsr.Simulator.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FunAsr.Simulator.Protocol;

/// <summary>What every connection of one host shares.</summary>
internal sealed class SimulatorRuntime(SimulatorOptions options, SimulatorStats stats, ILogger logger)
{
    public SimulatorOptions Options { get; } = options;

    public SimulatorStats Stats { get; } = stats;

    public ILogger Logger { get; } = logger;

    /// <summary>The host's decoder workers (capacity model); null when decoding is free and unbounded.</summary>
    public DecoderPool? Decoders { get; } =
        options.DecoderWorkers == 0 && options.DecodeCostPerAudioSecond == TimeSpan.Zero
            ? null
            : new DecoderPool(options.DecoderWorkers, options.DecodeCostPerAudioSecond, options.TimeProvider, stats.Decoders);
}
