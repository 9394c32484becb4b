using Gateway.Core.Dispatch;
using Gateway.Core.Results;

namespace Gateway.UnitTests.Pipeline;

public sealed class SpeechPipelineTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact(Timeout = 10_000)]
    public async Task OnWindow_UpstreamAway_SpeechEventsAtOnceAndRingFreed()
    {
        await using var harness = new PipelineHarness();
        harness.Upstream.Away = true;

        harness.Speak(40);
        harness.Silence(20);

        // Synchronously, on the VAD's thread: nothing waited for the upstream.
        Assert.Single(harness.Of<SpeechStartedEvent>());
        Assert.Single(harness.Of<SpeechEndedEvent>());
        // The segment's audio moved into its own buffer: the ring keeps only the pre-roll (250 ms) and a window.
        Assert.True(harness.Audio.Written - harness.Audio.Released <= 4_000 + PipelineHarness.Window,
            $"ring still holds {harness.Audio.Written - harness.Audio.Released} samples");
    }

    [Fact(Timeout = 15_000)]
    public async Task Outage_UpstreamBack_HeldSegmentsDeliveredInOrderMarkedLate()
    {
        await using var harness = new PipelineHarness();
        harness.Upstream.Away = true;
        harness.Speak(30);
        harness.Silence(20);
        harness.Speak(20);
        harness.Silence(20);
        await harness.UntilAsync(() => harness.Upstream.Starts >= 1, Step); // held, waiting for the upstream

        harness.Upstream.Away = false;
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Count() == 2, Step);

        var finals = harness.Of<FinalEvent>().ToList();
        Assert.Equal([1L, 2L], finals.Select(f => f.SegmentId));
        Assert.All(finals, f => Assert.NotNull(f.Delay));
        Assert.Empty(harness.Of<SegmentFailedEvent>());
        // Every byte of each segment reached the upstream (the sentence names the count).
        var ended = harness.Of<SpeechEndedEvent>().ToList();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal($"bytes {(ended[i].EndSample - ended[i].StartSample) * 2}", finals[i].Text);
        }
    }

    [Fact(Timeout = 15_000)]
    public async Task Outage_CircuitOpen_HeldSegmentsWaitForTheReadySignalNotATimer()
    {
        await using var harness = new PipelineHarness();
        harness.Upstream.Away = true;
        harness.Speak(30);
        harness.Silence(20);
        harness.Speak(20);
        harness.Silence(20);
        await harness.UntilAsync(() => harness.Upstream.Starts >= 1, Step);

        // Ten seconds of outage: the head asked once and now waits on the upstream's signal; the second never asked.
        for (var i = 0; i < 100; i++)
        {
            harness.Time.Advance(Step);
            await Task.Delay(2); // lets a retry on a timer run, as the old code did every 200 ms
        }

        Assert.Equal(1, harness.Upstream.Starts);
        Assert.Empty(harness.Of<FinalEvent>());
        Assert.Empty(harness.Of<SegmentFailedEvent>());

        harness.Upstream.Away = false; // the signal, without any time passing
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Count() == 2);
        Assert.Equal([1L, 2L], harness.Of<FinalEvent>().Select(f => f.SegmentId));
        Assert.Equal(3, harness.Upstream.Starts);
    }

    [Fact(Timeout = 10_000)]
    public async Task Hold_NoSessionBudget_FailsAtOnceNamingTheBudget()
    {
        await using var harness = new PipelineHarness(new DispatchOptions { SessionHoldSeconds = 0 });
        harness.Upstream.Away = true;
        harness.Speak(30);
        var spokenAt = harness.Time.GetUtcNow();
        harness.Silence(20);

        await harness.UntilAsync(() => harness.Of<SegmentFailedEvent>().Any(), Step);

        var failed = Assert.Single(harness.Of<SegmentFailedEvent>());
        Assert.Equal("upstream_unavailable", failed.Code);
        Assert.Contains("Dispatch:SessionHoldSeconds", failed.Message);
        Assert.True(harness.Time.GetUtcNow() - spokenAt < TimeSpan.FromSeconds(5), "waited out the deadline instead of failing fast");
        Assert.Empty(harness.Of<FinalEvent>());
    }

    [Fact(Timeout = 15_000)]
    public async Task Deadline_UpstreamAway_CountsFromWhenEachSegmentWasSpoken()
    {
        var deadline = TimeSpan.FromSeconds(6);
        await using var harness = new PipelineHarness(new DispatchOptions { SegmentDeadline = deadline });
        harness.Upstream.Away = true;
        for (var i = 0; i < 3; i++)
        {
            harness.Speak(20);
            harness.Silence(20);
        }

        // By the last segment's deadline all three have failed; counted from the front of the queue, the third
        // would need three deadlines in a row.
        var lastSpoken = harness.Time.GetUtcNow();
        while (harness.Time.GetUtcNow() - lastSpoken < deadline + TimeSpan.FromSeconds(1))
        {
            harness.Time.Advance(Step);
            await Task.Delay(2);
        }

        await harness.UntilAsync(() => harness.Of<SegmentFailedEvent>().Count() == 3);
        var failed = harness.Of<SegmentFailedEvent>().ToList();
        Assert.Equal([1L, 2L, 3L], failed.Select(f => f.SegmentId).Order());
        Assert.All(failed, f => Assert.Contains("within 6 s of it being spoken", f.Message));
        Assert.All(failed, f => Assert.Contains("circuit open", f.Message));
    }

    [Fact(Timeout = 10_000)]
    public async Task Drain_UpstreamNeverAnswers_PendingSegmentGetsItsErrorNotSilence()
    {
        await using var harness = new PipelineHarness();
        harness.Upstream.NeverAnswer = true;
        harness.Speak(30);
        harness.Silence(20);
        await harness.UntilAsync(() => !harness.Upstream.Streams.IsEmpty);

        using var drain = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Pipeline.DrainAsync(drain.Token));

        var failed = Assert.Single(harness.Of<SegmentFailedEvent>());
        Assert.Equal(1, failed.SegmentId);
        Assert.Contains("Sessions:DrainTimeout", failed.Message);
        Assert.Empty(harness.Of<FinalEvent>());
    }

    [Fact(Timeout = 10_000)]
    public async Task Saturated_SegmentWaitsPastThreshold_ClientToldItsPosition()
    {
        await using var harness = new PipelineHarness(new DispatchOptions { QueuedNoticeAfter = TimeSpan.FromSeconds(1) });
        harness.Upstream.Saturated = true;
        harness.Speak(10);
        Assert.Empty(harness.Of<SegmentQueuedEvent>());

        await harness.UntilAsync(() => harness.Of<SegmentQueuedEvent>().Any(), Step);
        var queued = Assert.Single(harness.Of<SegmentQueuedEvent>());
        Assert.Equal(1, queued.SegmentId);
        Assert.Equal(1, queued.Position);

        harness.Upstream.Free();
        harness.Silence(20);
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Any(), Step);
        Assert.Null(Assert.Single(harness.Of<FinalEvent>()).Delay); // busy is not late: nothing failed
    }

    [Fact(Timeout = 10_000)]
    public async Task Finalize_NormalPath_OneFinalPerSegmentNotLate()
    {
        await using var harness = new PipelineHarness();
        harness.Speak(30);
        harness.Silence(20);
        harness.Speak(30);

        await harness.Pipeline.FinalizeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(8));

        var finals = harness.Of<FinalEvent>().ToList();
        Assert.Equal([1L, 2L], finals.Select(f => f.SegmentId));
        Assert.All(finals, f => Assert.Null(f.Delay));
        Assert.All(harness.Upstream.Streams, s => Assert.True(s.Disposed));
    }
}
