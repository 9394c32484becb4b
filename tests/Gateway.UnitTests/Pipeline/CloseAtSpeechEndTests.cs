using Gateway.Core.Results;
using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Pipeline;

/// <summary>
/// <see cref="SegmenterOptions.CloseAtSpeechEnd"/> through the whole pipeline (fake upstream, fake clock): the
/// upstream utterance is finished and its connection given back before the endpoint silence ends, speech resuming
/// within the endpoint silence goes out as a new segment, each segment gets exactly one final, and the pieces carry
/// exactly the audio the unsplit segment carries.
/// </summary>
public sealed class CloseAtSpeechEndTests
{
    [Fact(Timeout = 15_000)]
    public async Task Pause_ShorterThanTheEndpoint_ConnectionBackDuringThePauseAndNoAudioLostOrDoubled()
    {
        await using var on = new PipelineHarness(segmenter: new SegmenterOptions { CloseAtSpeechEnd = true });
        on.Speak(20);
        on.Silence(6); // 192 ms: past the 150 ms post-roll, well inside the 500 ms endpoint silence

        // The first piece is final and its upstream stream given back while the pause is still going on.
        await on.UntilAsync(() => on.Of<FinalEvent>().Any());
        var first = Assert.Single(on.Upstream.Streams);
        await on.UntilAsync(() => first.Disposed);
        Assert.Equal("speech_end", Assert.Single(on.Of<SpeechEndedEvent>()).Cause);

        on.Silence(8);  // 448 ms of pause in all, still shorter than the endpoint: off, this is one segment
        on.Speak(12);
        on.Silence(20);
        await on.UntilAsync(() => on.Of<FinalEvent>().Count() == 2);

        var ended = on.Of<SpeechEndedEvent>().ToList();
        var finals = on.Of<FinalEvent>().ToList();
        Assert.Equal(2, ended.Count);
        Assert.Equal([1L, 2L], finals.Select(f => f.SegmentId));
        Assert.Empty(on.Of<SegmentFailedEvent>());
        Assert.Equal(ended[0].EndSample, ended[1].StartSample); // contiguous
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal($"bytes {(ended[i].EndSample - ended[i].StartSample) * 2}", finals[i].Text);
        }

        // The same audio with the option off: one segment over exactly the span the two pieces cover.
        await using var off = new PipelineHarness();
        // (The harness's ring is 1 s; an open segment keeps 2 s of look-back for a max-length cut, so keep it short.)
        off.Speak(20);
        off.Silence(14);
        off.Speak(12);
        off.Silence(20);
        await off.UntilAsync(() => off.Of<FinalEvent>().Any());
        var whole = Assert.Single(off.Of<SpeechEndedEvent>());
        Assert.Equal("endpoint", whole.Cause);
        Assert.Equal(whole.StartSample, ended[0].StartSample);
        Assert.Equal(whole.EndSample, ended[1].EndSample);
        Assert.Equal($"bytes {(whole.EndSample - whole.StartSample) * 2}", Assert.Single(off.Of<FinalEvent>()).Text);
    }

    [Fact(Timeout = 15_000)]
    public async Task Resume_WhileTheFirstPieceWaitsForItsFinal_SecondWaitsItsTurnAndBothGetOneFinal()
    {
        var upstream = new Dispatch.FakeUpstream { Saturated = true };
        await using var on = new PipelineHarness(upstream: upstream, segmenter: new SegmenterOptions { CloseAtSpeechEnd = true });
        on.Speak(20);
        on.Silence(6);
        on.Speak(12);
        on.Silence(20);
        Assert.Equal(2, on.Of<SpeechEndedEvent>().Count()); // both pieces ended before any upstream took the first

        upstream.Free();
        await on.UntilAsync(() => on.Of<FinalEvent>().Count() == 2);

        Assert.Equal([1L, 2L], on.Of<FinalEvent>().Select(f => f.SegmentId));
        Assert.Empty(on.Of<SegmentFailedEvent>());
        var ended = on.Of<SpeechEndedEvent>().ToList();
        Assert.Equal(ended[0].EndSample, ended[1].StartSample);
    }
}
