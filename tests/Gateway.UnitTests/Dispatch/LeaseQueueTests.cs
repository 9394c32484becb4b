using Gateway.Core.Dispatch;

namespace Gateway.UnitTests.Dispatch;

public sealed class LeaseQueueTests
{
    [Fact(Timeout = 5_000)]
    public async Task WaitTurn_AllTurnsTaken_NextTurnGoesToTheOldestSpokenSegment()
    {
        var queue = new LeaseQueue();
        var holders = new List<LeaseQueue.Ticket>();
        for (var i = 0; i < LeaseQueue.Turns; i++)
        {
            var ticket = queue.Join(100 + i);
            await ticket.WaitTurnAsync(CancellationToken.None);
            holders.Add(ticket);
        }

        using var late = queue.Join(30);
        using var oldest = queue.Join(10);
        using var middle = queue.Join(20);
        var lateTurn = late.WaitTurnAsync(CancellationToken.None).AsTask();
        var oldestTurn = oldest.WaitTurnAsync(CancellationToken.None).AsTask();
        var middleTurn = middle.WaitTurnAsync(CancellationToken.None).AsTask();
        Assert.Equal(1, oldest.Position);
        Assert.Equal(3, late.Position);

        holders[0].Dispose();
        await oldestTurn;
        Assert.False(middleTurn.IsCompleted || lateTurn.IsCompleted);

        holders[1].EndTurn();
        await middleTurn;
        Assert.False(lateTurn.IsCompleted);

        oldest.Dispose();
        await lateTurn;
        Assert.Equal(LeaseQueue.Turns + 1, queue.Count); // three holders, middle and late
    }

    [Fact(Timeout = 5_000)]
    public async Task WaitTurn_Cancelled_TurnPassesOn()
    {
        var queue = new LeaseQueue();
        var holders = Enumerable.Range(0, LeaseQueue.Turns).Select(i => queue.Join(i)).ToList();
        foreach (var h in holders)
        {
            await h.WaitTurnAsync(CancellationToken.None);
        }

        using var gaveUp = queue.Join(1);
        using var next = queue.Join(2);
        using var cancel = new CancellationTokenSource();
        var gaveUpTurn = gaveUp.WaitTurnAsync(cancel.Token).AsTask();
        var nextTurn = next.WaitTurnAsync(CancellationToken.None).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUpTurn);

        holders[0].EndTurn();
        await nextTurn;
        Assert.Equal(queue.OldestSpokenAt, 0);
    }
}
