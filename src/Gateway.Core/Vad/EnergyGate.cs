using System.Numerics.Tensors;

namespace Gateway.Core.Vad;

/// <summary>RMS test of one window against a floor, compared in the squared domain (no square root, no log).</summary>
internal readonly struct EnergyGate
{
    private readonly float _floorMeanSquare;

    public EnergyGate(EnergyGateOptions options)
    {
        Enabled = options.Enabled;
        var rms = Math.Pow(10, options.FloorDbfs / 20);
        _floorMeanSquare = (float)(rms * rms);
    }

    public bool Enabled { get; }

    /// <summary>True when the window is quieter than the floor and inference can be skipped.</summary>
    // PERF: TensorPrimitives.SumOfSquares is vectorised; a 512-sample window costs well under a microsecond (EnergyGateBenchmarks).
    public bool IsBelowFloor(ReadOnlySpan<float> window) =>
        Enabled && TensorPrimitives.SumOfSquares(window) < _floorMeanSquare * window.Length;
}
