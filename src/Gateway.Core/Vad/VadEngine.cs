using Microsoft.ML.OnnxRuntime;

namespace Gateway.Core.Vad;

/// <summary>
/// One Silero v5 ONNX session with preallocated, pinned I/O buffers for batches of 1..maxBatch stream windows.
/// </summary>
/// <remarks>
/// Model I/O: <c>input</c> float [B, 576] (64 context samples + 512-sample window), <c>state</c> float [2, B, 128],
/// <c>sr</c> int64 scalar = 16000; outputs <c>output</c> [B, 1] and <c>stateN</c> [2, B, 128].
/// The state layout depends on B (row b of layer k starts at (k * B + b) * 128), so callers address it through
/// <see cref="State"/> / <see cref="NextState"/> with the batch size they will run.
/// Concurrency: not thread-safe; one engine per worker thread.
/// PERF: one IoBinding per batch size is created on first use and reused, so <see cref="Run"/> allocates nothing
/// managed (VadEngineBenchmarks, MemoryDiagnoser).
/// </remarks>
internal sealed class VadEngine : IDisposable
{
    public const int SampleRate = 16000;
    public const int WindowSamples = 512;
    public const int ContextSamples = 64;
    public const int InputSamples = WindowSamples + ContextSamples;
    public const int StateSize = 128;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[] _state;
    private readonly float[] _output;
    private readonly float[] _nextState;
    private readonly long[] _sampleRate = [SampleRate];
    private readonly OrtValue _sampleRateValue;
    private readonly Binding?[] _bindings;

    public VadEngine(string modelPath, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        MaxBatch = maxBatch;
        using var sessionOptions = new SessionOptions
        {
            // Parallelism comes from one engine per worker; intra-op threads would fight over the same cores.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, sessionOptions);
        _input = new float[maxBatch * InputSamples];
        _state = new float[2 * maxBatch * StateSize];
        _output = new float[maxBatch];
        _nextState = new float[2 * maxBatch * StateSize];
        _sampleRateValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _sampleRate.AsMemory(), []);
        _bindings = new Binding?[maxBatch + 1];
    }

    public int MaxBatch { get; }

    /// <summary>Row <paramref name="b"/> of the input: 64 context samples followed by the 512-sample window.</summary>
    public Span<float> Input(int b) => _input.AsSpan(b * InputSamples, InputSamples);

    /// <summary>Layer <paramref name="layer"/> (0 or 1) of row <paramref name="b"/> of the input state for a batch of <paramref name="batch"/>.</summary>
    public Span<float> State(int layer, int b, int batch) => _state.AsSpan(((layer * batch) + b) * StateSize, StateSize);

    /// <summary>Layer <paramref name="layer"/> of row <paramref name="b"/> of the output state after <see cref="Run"/> with <paramref name="batch"/>.</summary>
    public ReadOnlySpan<float> NextState(int layer, int b, int batch) => _nextState.AsSpan(((layer * batch) + b) * StateSize, StateSize);

    /// <summary>Speech probability of row <paramref name="b"/> after <see cref="Run"/>.</summary>
    public float Probability(int b) => _output[b];

    /// <summary>Runs the model over rows 0..<paramref name="batch"/>-1.</summary>
    public void Run(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, MaxBatch);
        var binding = _bindings[batch] ??= new Binding(this, batch);
        _session.RunWithBinding(_runOptions, binding.IoBinding);
    }

    public void Dispose()
    {
        foreach (var binding in _bindings)
        {
            binding?.Dispose();
        }

        _sampleRateValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>Tensors over the prefixes of the shared buffers for one batch size, bound once.</summary>
    private sealed class Binding : IDisposable
    {
        private readonly OrtValue _input;
        private readonly OrtValue _state;
        private readonly OrtValue _output;
        private readonly OrtValue _nextState;

        public Binding(VadEngine engine, int batch)
        {
            var info = OrtMemoryInfo.DefaultInstance;
            _input = OrtValue.CreateTensorValueFromMemory(info, engine._input.AsMemory(0, batch * InputSamples), [batch, InputSamples]);
            _state = OrtValue.CreateTensorValueFromMemory(info, engine._state.AsMemory(0, 2 * batch * StateSize), [2, batch, StateSize]);
            _output = OrtValue.CreateTensorValueFromMemory(info, engine._output.AsMemory(0, batch), [batch, 1]);
            _nextState = OrtValue.CreateTensorValueFromMemory(info, engine._nextState.AsMemory(0, 2 * batch * StateSize), [2, batch, StateSize]);
            IoBinding = engine._session.CreateIoBinding();
            IoBinding.BindInput("input", _input);
            IoBinding.BindInput("state", _state);
            IoBinding.BindInput("sr", engine._sampleRateValue);
            IoBinding.BindOutput("output", _output);
            IoBinding.BindOutput("stateN", _nextState);
        }

        public OrtIoBinding IoBinding { get; }

        public void Dispose()
        {
            IoBinding.Dispose();
            _input.Dispose();
            _state.Dispose();
            _output.Dispose();
            _nextState.Dispose();
        }
    }
}
