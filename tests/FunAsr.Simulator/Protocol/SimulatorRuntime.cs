using FunAsr.Simulator.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FunAsr.Simulator.Protocol;

/// <summary>What every connection of one host shares.</summary>
internal sealed class SimulatorRuntime(SimulatorOptions options, SimulatorStats stats, ILogger logger)
{
    public SimulatorOptions Options { get; } = options;

    public SimulatorStats Stats { get; } = stats;

    public ILogger Logger { get; } = logger;
}
