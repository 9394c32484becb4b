namespace Gateway.Core.Vad;

/// <summary>
/// Configuration section <c>Vad:EnergyGate</c>. Windows whose RMS is below the floor skip inference and count as
/// silence (probability 0). The model's recurrent state is carried over the skipped window unchanged and the
/// 64-sample context still advances, so the next inferred window sees the real preceding audio.
/// Trade-off: speech quieter than the floor is never detected; see docs/vad.md for measurements.
/// </summary>
public sealed class EnergyGateOptions
{
    /// <summary>Whether the gate is on. Default <c>false</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>RMS floor in dBFS (0 dBFS = full-scale square wave). Default -55 dBFS.</summary>
    public double FloorDbfs { get; set; } = -55;
}
