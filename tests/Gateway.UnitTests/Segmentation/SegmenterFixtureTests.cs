using Gateway.Core.Audio;
using Gateway.Core.Segmentation;
using Gateway.UnitTests.Vad;

namespace Gateway.UnitTests.Segmentation;

/// <summary>Real audio through the real model and the segmenter, streamed in 20 ms frames.</summary>
public sealed class SegmenterFixtureTests
{
    private const long ToleranceSamples = 1_600; // ±100 ms

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnWindow_SpeechFixture_SegmentsMatchKnownSpans(bool energyGate)
    {
        var fixture = SpeechFixture.Load("three_utterances");
        var listener = Run(fixture.Samples, energyGate);

        var segments = listener.Segments.ToArray();
        Assert.Equal(fixture.Spans.Count, segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var (start, end) = fixture.Spans[i];
            var segment = segments[i];
            Assert.InRange(segment.SpeechStartPosition, start - ToleranceSamples, start + ToleranceSamples);
            Assert.InRange(segment.SpeechEndPosition, end - ToleranceSamples, end + ToleranceSamples);
            Assert.Equal(SegmentEndReason.EndpointSilence, segment.Reason);
            Assert.Equal(segment.SpeechStartPosition - 4_000, segment.StartPosition); // 250 ms pre-roll
            Assert.Equal(segment.SpeechEndPosition + 2_400, segment.EndPosition); // 150 ms post-roll
        }

        // Every segment is announced before it ends, with the same start.
        for (var i = 0; i < listener.Events.Count; i += 2)
        {
            var started = Assert.IsType<SpeechStart>(listener.Events[i]);
            var ended = Assert.IsType<SpeechSegment>(listener.Events[i + 1]);
            Assert.Equal(ended.StartPosition, started.StartPosition);
        }
    }

    [Theory]
    [InlineData("silence")]
    [InlineData("noise")]
    public void OnWindow_NoSpeech_NoSegments(string name)
    {
        var listener = Run(SpeechFixture.Load(name).Samples, energyGate: false);

        Assert.Empty(listener.Events);
    }

    private static RecordingListener Run(short[] audio, bool energyGate)
    {
        using var scheduler = VadTestHost.Create(gate: energyGate);
        var ring = new AudioRing(audio.Length);
        var listener = new RecordingListener();
        var segmenter = new Segmenter(new SegmenterSettings(), listener);
        using var handle = scheduler.Register(ring, segmenter);
        VadTestHost.Stream(scheduler, ring, audio);
        return listener;
    }
}
