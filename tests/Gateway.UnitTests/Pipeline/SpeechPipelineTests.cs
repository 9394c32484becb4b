using Gateway.Core.Dispatch;
using Gateway.Core.Results;

namespace Gateway.UnitTests.Pipeline;

/// <summary>
/// Nothing here waits on time: the fake clock moves only when a test moves it, and a test waits (bounded, in real
/// time) on what the dispatcher has done, e.g. <see cref="Dispatch.FakeUpstream.Waiting"/>: its head segment was refused, the
/// session is holding, and it waits on the upstream's readiness signal.
/// </summary>
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
        // Refused, holding both, waiting for the upstream. (Not "it asked": the upstream back before its answer
        // would have taken the segment at once, not held it.)
        await harness.UntilAsync(() => harness.Upstream.Waiting == 1);

        harness.Upstream.Away = false;
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Count() == 2);

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

    /// <summary>
    /// A segment that starts while the session holds has its audio held too, so its final is late even when its end
    /// comes after the upstream is back (as for one that had started before the head's refusal).
    /// </summary>
    [Fact(Timeout = 15_000)]
    public async Task Outage_SegmentStartedDuringTheHoldEndsAfterTheUpstreamIsBack_MarkedLate()
    {
        await using var harness = new PipelineHarness();
        harness.Upstream.Away = true;
        harness.Speak(30);
        harness.Silence(20);
        await harness.UntilAsync(() => harness.Upstream.Waiting == 1); // holding

        harness.Speak(20); // the second segment starts during the hold
        harness.Upstream.Away = false;
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Any());
        harness.Silence(20); // and ends once the upstream is back
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Count() == 2);

        var finals = harness.Of<FinalEvent>().ToList();
        Assert.Equal([1L, 2L], finals.Select(f => f.SegmentId));
        Assert.All(finals, f => Assert.NotNull(f.Delay));
        Assert.Empty(harness.Of<SegmentFailedEvent>());
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
        // The head asked once and waits on the upstream's signal (a retry on a timer never would: this times out).
        await harness.UntilAsync(() => harness.Upstream.Waiting == 1);

        // Ten seconds of outage: still that one wait; the second segment never asked.
        for (var i = 0; i < 100; i++)
        {
            harness.Time.Advance(Step);
        }

        Assert.Equal(1, harness.Upstream.Starts);
        Assert.Equal(1, harness.Upstream.ReadyWaits);
        Assert.Equal(1, harness.Upstream.Waiting);
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
        harness.Silence(20);

        // The clock stands still: a segment that waited out its deadline instead of failing fast never fails here.
        await harness.UntilAsync(() => harness.Of<SegmentFailedEvent>().Any());

        var failed = Assert.Single(harness.Of<SegmentFailedEvent>());
        Assert.Equal("upstream_unavailable", failed.Code);
        Assert.Contains("Dispatch:SessionHoldSeconds", failed.Message);
        Assert.Equal(1, harness.Upstream.Refused);
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
        // would need three deadlines in a row. The clock moves only while the session's head waits on the
        // upstream's signal (its deadline armed), so no segment's time runs out before it had its own try.
        var lastSpoken = harness.Time.GetUtcNow();
        var failures = () => harness.Of<SegmentFailedEvent>().Count();
        while (failures() < 3)
        {
            await harness.UntilAsync(() => harness.Upstream.Waiting == 1 || failures() == 3);
            if (failures() < 3)
            {
                Assert.True(harness.Time.GetUtcNow() - lastSpoken < deadline, $"{failures()} failed by the last segment's deadline");
                harness.Time.Advance(Step);
            }
        }

        var failed = harness.Of<SegmentFailedEvent>().ToList();
        Assert.Equal(3, harness.Upstream.ReadyWaits); // each had its own try and its own wait
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
        await harness.UntilAsync(() => harness.Upstream.Starts == 1); // waiting for a connection; the notice is armed before
        Assert.Empty(harness.Of<SegmentQueuedEvent>());

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.UntilAsync(() => harness.Of<SegmentQueuedEvent>().Any());
        var queued = Assert.Single(harness.Of<SegmentQueuedEvent>());
        Assert.Equal(1, queued.SegmentId);
        Assert.Equal(1, queued.Position);

        harness.Upstream.Free();
        harness.Silence(20);
        await harness.UntilAsync(() => harness.Of<FinalEvent>().Any());
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
