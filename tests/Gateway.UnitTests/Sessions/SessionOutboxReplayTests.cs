using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Sessions;

/// <summary>The replay log behind resume: the finals a client missed come back in order, and those older than the log are counted, not skipped silently.</summary>
public sealed class SessionOutboxReplayTests
{
    private const int Capacity = 8;

    [Fact(Timeout = 10_000)]
    public async Task Reattach_MissedFinalsInTheLog_ReplayedInOrderAfterTheReadyAndNoneLost()
    {
        var outbox = await SentFinalsAsync(10);
        outbox.Detach();
        long? lost = null;

        outbox.Reattach(received: 6, first: n =>
        {
            lost = n;
            return new FlushedEvent(0);
        });

        Assert.Equal(0, lost);
        Assert.IsType<FlushedEvent>(await TakeAsync(outbox));
        var replayed = await SegmentIdsAsync(outbox, 4);
        Assert.Equal([7, 8, 9, 10], replayed);
        Assert.Equal(10, outbox.SentTerminal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Reattach_MissedFinalsOlderThanTheLog_TheReadyIsToldHowManyAndTheRestAreReplayed()
    {
        var outbox = await SentFinalsAsync(Capacity + 3);
        outbox.Detach();
        long? lost = null;

        outbox.Reattach(received: 1, first: n =>
        {
            lost = n;
            return new FlushedEvent(0);
        });

        Assert.Equal(2, lost); // finals 2 and 3 fell out of the 8-entry log
        Assert.IsType<FlushedEvent>(await TakeAsync(outbox));
        var replayed = await SegmentIdsAsync(outbox, Capacity);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11], replayed);
    }

    private static async Task<SessionOutbox> SentFinalsAsync(int count)
    {
        var outbox = new SessionOutbox(Capacity);
        for (var id = 1; id <= count; id++)
        {
            Assert.True(outbox.TryEnqueue(new FinalEvent(id, $"final {id}", 0, 0, [])));
            await TakeAsync(outbox);
        }

        return outbox;
    }

    private static async Task<ServerEvent> TakeAsync(SessionOutbox outbox)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var next = await outbox.PeekAsync(cts.Token);
        outbox.Sent();
        return next!;
    }

    private static async Task<long[]> SegmentIdsAsync(SessionOutbox outbox, int count)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = Assert.IsType<FinalEvent>(await TakeAsync(outbox)).SegmentId;
        }

        return ids;
    }
}
