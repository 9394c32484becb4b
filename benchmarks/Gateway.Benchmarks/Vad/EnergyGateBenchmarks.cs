using BenchmarkDotNet.Attributes;
using Gateway.Core.Vad;

namespace Gateway.Benchmarks.Vad;

/// <summary>
/// The energy pre-gate's test of one 512-sample window: vectorised sum of squares against a squared floor,
/// versus the textbook scalar RMS in dBFS.
/// Run: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- --filter '*EnergyGateBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class EnergyGateBenchmarks
{
    private readonly float[] _window = new float[VadEngine.WindowSamples];
    private readonly EnergyGate _gate = new(new EnergyGateOptions { Enabled = true, FloorDbfs = -55 });

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = (float)((random.NextDouble() - 0.5) * 0.001);
        }
    }

    [Benchmark(Baseline = true)]
    public bool ScalarRmsDbfs()
    {
        var sum = 0.0;
        foreach (var s in _window)
        {
            sum += s * s;
        }

        return 20 * Math.Log10(Math.Sqrt(sum / _window.Length)) < -55;
    }

    [Benchmark]
    public bool Gate() => _gate.IsBelowFloor(_window);
}
