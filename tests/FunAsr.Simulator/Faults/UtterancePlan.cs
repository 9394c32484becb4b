namespace FunAsr.Simulator.Faults;

/// <summary>The faults decided for one utterance when it starts.</summary>
internal readonly record struct UtterancePlan(bool Drop, bool SilentFinal);
