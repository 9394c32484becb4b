namespace FunAsr.Simulator.Faults;

/// <summary>Faults the simulator can inject, as counted in <see cref="Diagnostics.SimulatorStats.FaultsInjected"/>.</summary>
public enum FaultKind
{
    /// <summary>The TCP connection was aborted mid-utterance (after the utterance's first audio, or at its EOS when it had none).</summary>
    DropConnection,

    /// <summary>The terminal message of an utterance was never sent.</summary>
    SilentFinal,

    /// <summary>A processing step or final was delayed by <see cref="SimulatorFaults.ExtraDelay"/>.</summary>
    ExtraDelay,

    /// <summary>An upgrade request was answered with HTTP 503.</summary>
    RejectedUpgrade,

    /// <summary>A TCP connection was closed right after accept.</summary>
    ClosedAtAccept,
}
