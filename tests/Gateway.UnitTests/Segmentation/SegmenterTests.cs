using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Segmentation;

/// <summary>Segmenter logic on scripted probabilities (one value per 32 ms window), no model.</summary>
public sealed class SegmenterTests
{
    private const int W = 512;

    [Fact]
    public void OnWindow_SpeechThenEndpointSilence_OneSegmentWithPadding()
    {
        var (listener, _) = Feed(new SegmenterSettings(), Windows((0.0f, 20), (0.9f, 20), (0.0f, 20)));

        var segment = Assert.Single(listener.Segments);
        Assert.Equal(20 * W, segment.SpeechStartPosition);
        Assert.Equal(40 * W, segment.SpeechEndPosition);
        Assert.Equal((20 * W) - 4_000, segment.StartPosition);
        Assert.Equal((40 * W) + 2_400, segment.EndPosition);
        Assert.Equal(SegmentEndReason.EndpointSilence, segment.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(640 - 250), segment.Start);
    }

    [Fact]
    public void OnWindow_ProbabilityBetweenThresholds_StaysInSpeech()
    {
        // 0.4 is below the threshold (0.5) but not below the negative threshold (0.35): no silence starts.
        var (listener, _) = Feed(new SegmenterSettings(), Windows((0.9f, 10), (0.4f, 40), (0.0f, 20)));

        var segment = Assert.Single(listener.Segments);
        Assert.Equal(50 * W, segment.SpeechEndPosition);
    }

    [Fact]
    public void OnWindow_SilenceShorterThanEndpoint_DoesNotSplit()
    {
        var (listener, _) = Feed(new SegmenterSettings(), Windows((0.9f, 10), (0.1f, 15), (0.9f, 10), (0.0f, 20)));

        var segment = Assert.Single(listener.Segments);
        Assert.Equal(0, segment.SpeechStartPosition);
        Assert.Equal(35 * W, segment.SpeechEndPosition);
    }

    [Fact]
    public void OnWindow_BurstShorterThanMinSpeech_NoEvents()
    {
        var (listener, _) = Feed(new SegmenterSettings(), Windows((0.0f, 5), (0.9f, 7), (0.0f, 30)));

        Assert.Empty(listener.Events);
    }

    [Fact]
    public void OnWindow_StartNearStreamStartOrPreviousSegment_PreRollClamped()
    {
        var settings = new SegmenterSettings { EndpointSilenceMs = 320, PostRollMs = 160 };
        var (listener, _) = Feed(settings, Windows((0.9f, 10), (0.0f, 12), (0.9f, 10), (0.0f, 12)), startPosition: 1_000);

        var segments = listener.Segments.ToArray();
        Assert.Equal(2, segments.Length);
        Assert.Equal(1_000, segments[0].StartPosition); // not before the stream's first position
        Assert.Equal(segments[0].EndPosition, segments[1].StartPosition); // not overlapping the previous segment
    }

    [Fact]
    public void OnWindow_FirstWindowLaterThanStartPosition_PreRollStopsAtFirstWindow()
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(new SegmenterSettings(), listener, startPosition: 0);
        for (var i = 0; i < 20; i++)
        {
            segmenter.OnWindow(10_000 + ((long)i * W), 0.9f);
        }

        var started = Assert.IsType<SpeechStart>(Assert.Single(listener.Events));
        Assert.Equal(10_000, started.StartPosition);
        Assert.Equal(10_000, started.SpeechPosition);
    }

    [Fact]
    public void OnWindow_SpeechLongerThanMax_CutAtQuietestRecentWindow()
    {
        var settings = new SegmenterSettings { MaxSegmentMs = 3_200 }; // 100 windows
        var probabilities = Windows((0.9f, 200), (0.0f, 20));
        probabilities[80] = 0.6f; // the least speech-like window before the limit
        var (listener, _) = Feed(settings, probabilities);

        var segments = listener.Segments.ToArray();
        Assert.Equal(SegmentEndReason.MaxLength, segments[0].Reason);
        var cut = (80 * W) + (W / 2);
        Assert.Equal(cut, segments[0].EndPosition);
        Assert.Equal(cut, segments[1].StartPosition);
        Assert.All(segments, s => Assert.True(s.Samples <= 3_200 * 16));
        Assert.Equal(SegmentEndReason.EndpointSilence, segments[^1].Reason);
        Assert.Equal(200 * W, segments[^1].SpeechEndPosition);
        Assert.Equal(listener.Segments.Count(), listener.Events.OfType<SpeechStart>().Count());
    }

    [Fact]
    public void Flush_OpenSegment_EndsItAtClassifiedPosition()
    {
        var (listener, segmenter) = Feed(new SegmenterSettings(), Windows((0.9f, 20)));
        Assert.True(segmenter.InSpeech);

        segmenter.Flush();
        segmenter.Flush(); // nothing open any more

        var segment = Assert.Single(listener.Segments);
        Assert.Equal(SegmentEndReason.Flush, segment.Reason);
        Assert.Equal(20 * W, segment.SpeechEndPosition);
        Assert.Equal(20 * W, segment.EndPosition); // no post-roll beyond what was classified
        Assert.False(segmenter.InSpeech);
    }

    [Fact]
    public void OldestNeededPosition_InSpeechAndInSilence_FollowsSegmentStartThenPreRoll()
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(new SegmenterSettings(), listener);
        var position = 0L;
        foreach (var p in Windows((0.0f, 30), (0.9f, 30)))
        {
            segmenter.OnWindow(position, p);
            position += W;
        }

        Assert.Equal((30 * W) - 4_000, segmenter.OldestNeededPosition); // the open segment's padded start

        foreach (var p in Windows((0.0f, 40)))
        {
            segmenter.OnWindow(position, p);
            position += W;
        }

        Assert.Equal(position - 4_000, segmenter.OldestNeededPosition); // only the pre-roll of future speech
    }

    private static float[] Windows(params (float Probability, int Count)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Repeat(r.Probability, r.Count))];

    private static (RecordingListener Listener, Segmenter Segmenter) Feed(SegmenterSettings settings, float[] probabilities, long startPosition = 0)
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(settings, listener, startPosition);
        for (var i = 0; i < probabilities.Length; i++)
        {
            segmenter.OnWindow(startPosition + ((long)i * W), probabilities[i]);
        }

        return (listener, segmenter);
    }
}
