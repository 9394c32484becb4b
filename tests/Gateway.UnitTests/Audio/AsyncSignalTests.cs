using Gateway.Core.Audio;

namespace Gateway.UnitTests.Audio;

public sealed class AsyncSignalTests
{
    [Fact(Timeout = 30_000)]
    public async Task WaitAsync_SetBefore_CompletesAtOnceAndConsumesTheSignal()
    {
        var signal = new AsyncSignal();
        signal.Set();
        signal.Set();

        await signal.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var second = signal.WaitAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        signal.Set();
        await second.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 30_000)]
    public async Task WaitAsync_Cancelled_ThrowsAndTheSignalStaysUsable()
    {
        var signal = new AsyncSignal();
        using var cts = new CancellationTokenSource();
        var waiting = signal.WaitAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask()).WaitAsync(TimeSpan.FromSeconds(5));
        signal.Set();
        await signal.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 30_000)]
    public async Task SetAndWait_ManyRoundsAcrossThreads_NeverLoseAWakeUp()
    {
        var signal = new AsyncSignal();
        var produced = 0;
        using var done = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                Interlocked.Increment(ref produced);
                signal.Set();
                if (i % 100 == 0)
                {
                    await Task.Yield();
                }
            }
        });

        var consumed = 0;
        while (consumed < 20_000)
        {
            await signal.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            consumed = Volatile.Read(ref produced); // everything produced before the wake-up is visible
        }

        await producer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(20_000, consumed);
    }
}
