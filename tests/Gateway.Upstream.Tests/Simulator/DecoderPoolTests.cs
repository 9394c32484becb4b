using System.Collections.Concurrent;
using FunAsr.Simulator.Capacity;
using FunAsr.Simulator.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class DecoderPoolTests
{
    private const int OneSecond = 32_000;

    [Fact(Timeout = 10_000)]
    public async Task DecodeAsync_TwoWorkersHalfCostEightUtterances_ServedInArrivalOrderTwiceRealTime()
    {
        var time = new FakeTimeProvider();
        var stats = new DecoderStats();
        var pool = new DecoderPool(2, TimeSpan.FromSeconds(0.5), time, stats);
        var done = new ConcurrentQueue<int>();
        var decodes = Enumerable.Range(0, 8).Select(i => Run(i)).ToArray();

        // 8 seconds of audio at 0.5 s per second on 2 workers: 2 s, twice the 1 s the utterances lasted.
        for (var round = 1; round <= 4; round++)
        {
            await WaitUntil(() => stats.Busy == 2 && stats.Waiting == 8 - (2 * round));
            Assert.Equal(Enumerable.Range(0, 2 * (round - 1)), done.Order());
            time.Advance(TimeSpan.FromSeconds(0.5));
            await WaitUntil(() => done.Count == 2 * round);
        }

        await Task.WhenAll(decodes);
        Assert.Equal(Enumerable.Range(0, 8), done.Order());
        Assert.Equal(2, stats.MaxBusy);
        Assert.Equal(6, stats.MaxWaiting);
        Assert.Equal(8, stats.Completed);
        Assert.Equal(TimeSpan.FromSeconds(4), stats.TotalBusy);
        Assert.Equal(TimeSpan.FromSeconds(0.5 * (0 + 0 + 1 + 1 + 2 + 2 + 3 + 3)), stats.TotalWait);

        async Task Run(int i)
        {
            await pool.DecodeAsync(OneSecond, CancellationToken.None);
            done.Enqueue(i);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task DecodeAsync_ZeroWorkers_EveryDecodeRunsAtOnce()
    {
        var time = new FakeTimeProvider();
        var stats = new DecoderStats();
        var pool = new DecoderPool(0, TimeSpan.FromSeconds(0.5), time, stats);
        var decodes = Enumerable.Range(0, 8).Select(_ => pool.DecodeAsync(OneSecond, CancellationToken.None)).ToArray();

        await WaitUntil(() => stats.Busy == 8);
        time.Advance(TimeSpan.FromSeconds(0.5));
        await Task.WhenAll(decodes);

        Assert.Equal(0, stats.MaxWaiting);
        Assert.Equal(8, stats.MaxBusy);
    }

    [Fact(Timeout = 10_000)]
    public async Task DecodeAsync_WaiterCancelled_ItsTurnPassesToTheNext()
    {
        var time = new FakeTimeProvider();
        var stats = new DecoderStats();
        var pool = new DecoderPool(1, TimeSpan.FromSeconds(1), time, stats);
        using var gone = new CancellationTokenSource();
        var first = pool.DecodeAsync(OneSecond, CancellationToken.None);
        var second = pool.DecodeAsync(OneSecond, gone.Token);
        var third = pool.DecodeAsync(OneSecond, CancellationToken.None);
        await WaitUntil(() => stats.Waiting == 2);

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        time.Advance(TimeSpan.FromSeconds(1));
        await first;
        await WaitUntil(() => stats.Busy == 1 && stats.Waiting == 0);
        time.Advance(TimeSpan.FromSeconds(1));
        await third;

        Assert.Equal(1, stats.MaxBusy);
        Assert.Equal(2, stats.Completed);
    }

    [Fact]
    public void CostOf_HalfSecondOfAudio_HalfTheCost()
    {
        var pool = new DecoderPool(1, TimeSpan.FromSeconds(0.6), new FakeTimeProvider(), new DecoderStats());

        Assert.Equal(TimeSpan.FromSeconds(0.3), pool.CostOf(OneSecond / 2));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(2, deadline.Token);
        }
    }
}
