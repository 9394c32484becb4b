using BenchmarkDotNet.Attributes;
using Gateway.Core.Audio;

namespace Gateway.Benchmarks.Pipeline;

/// <summary>
/// The dispatcher waits for "more audio classified" once per 32 ms VAD window of every session in speech:
/// our reusable value-task signal against a TaskCompletionSource per wait (the straightforward way).
/// </summary>
[MemoryDiagnoser]
public class SignalBenchmarks
{
    private readonly AsyncSignal _signal = new();
    private TaskCompletionSource? _tcs;

    [Benchmark(Description = "AsyncSignal: wait, then set (ours)")]
    public async Task ValueTaskSignal()
    {
        var wait = _signal.WaitAsync(CancellationToken.None);
        _signal.Set();
        await wait;
    }

    [Benchmark(Baseline = true, Description = "TaskCompletionSource per wait")]
    public async Task TaskCompletionSourcePerWait()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _tcs, tcs);
        Interlocked.Exchange(ref _tcs, null)?.TrySetResult();
        await tcs.Task;
    }
}
