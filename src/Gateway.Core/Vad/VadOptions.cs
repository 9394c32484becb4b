namespace Gateway.Core.Vad;

/// <summary>Configuration section <c>Vad</c>: the shared Silero VAD scheduler.</summary>
public sealed class VadOptions
{
    /// <summary>Path of the Silero v5 ONNX model; relative paths resolve against the application directory. Default <c>models/silero_vad.onnx</c>.</summary>
    public string ModelPath { get; set; } = "models/silero_vad.onnx";

    /// <summary>Worker threads, each with its own ONNX session (about 12 MiB each). Default: the processor count.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Period of the shared tick in milliseconds. A window is classified at the first tick after it is whole, so the
    /// period bounds how long a complete window waits (and so the endpoint decision): a shorter period answers sooner,
    /// a longer one batches more windows per ONNX call. Default 8 (a quarter of a 32 ms window).
    /// </summary>
    public int TickMs { get; set; } = 8;

    /// <summary>Most stream windows in one ONNX call. Default 64: one call then costs about 2-4.5 ms, so a round of a few batches fits the tick.</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>
    /// Most windows one stream may have classified per tick; a stream further behind catches up over later ticks.
    /// Default 4: with the default 8 ms tick that is 16 x real time, so a burst cannot monopolise a tick.
    /// </summary>
    public int MaxWindowsPerStreamPerTick { get; set; } = 4;

    /// <summary>Optional RMS pre-gate that skips inference for near-silent windows. Default off.</summary>
    public EnergyGateOptions EnergyGate { get; set; } = new();

    /// <summary>The model path as an absolute path.</summary>
    public string ResolveModelPath() =>
        Path.IsPathRooted(ModelPath) ? ModelPath : Path.Combine(AppContext.BaseDirectory, ModelPath);
}
