using Gateway.Core.Dispatch;

namespace Gateway.UnitTests.Dispatch;

public sealed class PriorityGateTests
{
    [Fact(Timeout = 30_000)]
    public async Task EnterAsync_BackgroundWhileLiveWaits_WaitsUntilTheLiveRequestHasItsConnection()
    {
        var gate = new PriorityGate();
        var live = await gate.EnterAsync(DispatchPriority.Live, CancellationToken.None);

        var background = gate.EnterAsync(DispatchPriority.Background, CancellationToken.None).AsTask();
        Assert.False(background.IsCompleted); // only the live scope's end completes it: nothing to wait for
        Assert.Equal(1, gate.LiveWaiting);

        live.Dispose();
        using var entered = await background.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, gate.LiveWaiting);
    }

    [Fact(Timeout = 30_000)]
    public async Task EnterAsync_LiveWhileOthersWait_NeverWaits()
    {
        var gate = new PriorityGate();
        using var first = await gate.EnterAsync(DispatchPriority.Live, CancellationToken.None);

        var second = gate.EnterAsync(DispatchPriority.Live, CancellationToken.None);

        Assert.True(second.IsCompleted);
        using var _ = await second;
        Assert.Equal(2, gate.LiveWaiting);
    }

    [Fact(Timeout = 30_000)]
    public async Task EnterAsync_BackgroundCancelled_Throws()
    {
        var gate = new PriorityGate();
        using var live = await gate.EnterAsync(DispatchPriority.Live, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var background = gate.EnterAsync(DispatchPriority.Background, cts.Token).AsTask();
        Assert.False(background.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => background).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
