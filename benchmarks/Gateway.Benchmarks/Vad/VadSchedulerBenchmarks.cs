using BenchmarkDotNet.Attributes;
using Gateway.Core.Audio;
using Gateway.Core.Vad;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Benchmarks.Vad;

/// <summary>
/// One whole scheduler tick for 64 streams with one new window each, on one worker: batched (MaxBatch 64)
/// versus one ONNX call per stream (MaxBatch 1). Includes the ring reads, state/context copies and delivery,
/// and proves a tick allocates nothing.
/// Run: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- --filter '*VadSchedulerBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class VadSchedulerBenchmarks
{
    private const int Streams = 64;
    private readonly short[] _window = new short[VadEngine.WindowSamples];
    private VadScheduler _scheduler = null!;
    private AudioRing[] _rings = null!;
    private VadStreamHandle[] _handles = null!;

    [Params(64, 1)]
    public int MaxBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = (short)random.Next(-3000, 3000);
        }

        _scheduler = new VadScheduler(
            Options.Create(new VadOptions { Workers = 1, MaxBatch = MaxBatch }), TimeProvider.System, NullLogger<VadScheduler>.Instance);
        _rings = [.. Enumerable.Range(0, Streams).Select(_ => new AudioRing(4 * VadEngine.WindowSamples))];
        _handles = [.. _rings.Select(r => _scheduler.Register(r, new NullSink()))];
        Tick(); // load the model and create the bindings outside the measurement
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Array.ForEach(_handles, h => h.Dispose());
        _scheduler.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Streams)]
    public int Tick()
    {
        for (var i = 0; i < _rings.Length; i++)
        {
            _rings[i].Release(_handles[i].ClassifiedPosition);
            _rings[i].Write(_window);
        }

        return _scheduler.RunOnce();
    }

    private sealed class NullSink : IVadSink
    {
        public void OnWindow(long windowStart, float probability)
        {
        }
    }
}
