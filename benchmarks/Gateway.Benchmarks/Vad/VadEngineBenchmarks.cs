using BenchmarkDotNet.Attributes;
using Gateway.Core.Vad;
using Microsoft.ML.OnnxRuntime;

namespace Gateway.Benchmarks.Vad;

/// <summary>
/// B stream windows classified three ways, side by side: one batched IoBinding call (what the scheduler does),
/// B single-window IoBinding calls (the per-stream design), and B single-window calls through the allocating
/// OrtValue-per-call API. Divide by B for the per-window cost.
/// Run: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- --filter '*VadEngineBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class VadEngineBenchmarks
{
    private VadEngine _engine = null!;
    private InferenceSession _session = null!;
    private float[] _window = null!;

    [Params(1, 4, 16, 64)]
    public int B { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new VadOptions().ResolveModelPath();
        _engine = new VadEngine(model, 64);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model, options);
        var random = new Random(42);
        _window = new float[VadEngine.InputSamples];
        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = (float)((random.NextDouble() * 0.2) - 0.1);
        }

        for (var b = 0; b < 64; b++)
        {
            _window.CopyTo(_engine.Input(b));
        }

        _engine.Run(B); // create the binding outside the measurement
        _engine.Run(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _session.Dispose();
    }

    [Benchmark(Baseline = true, Description = "B calls of 1 window (IoBinding)")]
    public float PerStreamCalls()
    {
        var sum = 0f;
        for (var b = 0; b < B; b++)
        {
            _engine.Run(1);
            sum += _engine.Probability(0);
        }

        return sum;
    }

    [Benchmark(Description = "1 batched call of B windows (IoBinding)")]
    public float OneBatchedCall()
    {
        _engine.Run(B);
        return _engine.Probability(B - 1);
    }

    [Benchmark(Description = "B calls of 1 window (OrtValue per call)")]
    public float PerStreamAllocatingCalls()
    {
        var sum = 0f;
        for (var b = 0; b < B; b++)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(_window, [1, VadEngine.InputSamples]);
            using var state = OrtValue.CreateTensorValueFromMemory(new float[2 * VadEngine.StateSize], [2, 1, VadEngine.StateSize]);
            using var sr = OrtValue.CreateTensorValueFromMemory(new long[] { VadEngine.SampleRate }, []);
            using var results = _session.Run(new RunOptions(), ["input", "state", "sr"], [input, state, sr], ["output", "stateN"]);
            sum += results[0].GetTensorDataAsSpan<float>()[0];
        }

        return sum;
    }
}
