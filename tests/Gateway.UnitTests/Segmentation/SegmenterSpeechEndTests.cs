using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Segmentation;

/// <summary>
/// <see cref="SegmenterOptions.CloseAtSpeechEnd"/> on scripted probabilities (one value per 32 ms window): segments
/// end one post-roll after the silence starts, and speech resuming within the endpoint silence continues in a new
/// segment contiguous with the previous one.
/// </summary>
public sealed class SegmenterSpeechEndTests
{
    private const int W = 512;
    private static readonly SegmenterSettings On = new() { CloseAtSpeechEnd = true };

    [Fact]
    public void OnWindow_SpeechThenSilence_EndsOnePostRollAfterTheSilenceStarts()
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(On, listener);
        var ends = new List<int>();
        var windows = Windows((0.0f, 20), (0.9f, 20), (0.0f, 20));
        for (var i = 0; i < windows.Length; i++)
        {
            var before = listener.Segments.Count();
            segmenter.OnWindow((long)i * W, windows[i]);
            if (listener.Segments.Count() > before)
            {
                ends.Add(i);
            }
        }

        var segment = Assert.Single(listener.Segments);
        Assert.Equal(SegmentEndReason.SpeechEnd, segment.Reason);
        Assert.Equal(40 * W, segment.SpeechEndPosition);
        Assert.Equal((40 * W) + 2_400, segment.EndPosition); // the same padding as at the endpoint
        // Closed at the window that completes the 150 ms post-roll (5 windows, 160 ms), not after the 500 ms endpoint.
        Assert.Equal([44], ends);
    }

    [Fact]
    public void OnWindow_SpeechResumesWithinTheEndpointSilence_NextSegmentStartsWhereThePreviousEnded()
    {
        // 15 silent windows (480 ms) are shorter than the 500 ms endpoint: off, this is one segment.
        var windows = Windows((0.0f, 20), (0.9f, 10), (0.1f, 15), (0.9f, 10), (0.0f, 20));
        var off = Feed(new SegmenterSettings(), windows);
        var on = Feed(On, windows);

        var whole = Assert.Single(off.Segments);
        var parts = on.Segments.ToArray();
        Assert.Equal(2, parts.Length);
        Assert.Equal(SegmentEndReason.SpeechEnd, parts[0].Reason);
        Assert.Equal(SegmentEndReason.SpeechEnd, parts[1].Reason);
        Assert.Equal(whole.StartPosition, parts[0].StartPosition);
        Assert.Equal(parts[0].EndPosition, parts[1].StartPosition); // contiguous: nothing skipped, nothing twice
        Assert.Equal(whole.EndPosition, parts[1].EndPosition);
        Assert.Equal(45 * W, parts[1].SpeechStartPosition);
        Assert.Equal(
            [typeof(SpeechStart), typeof(SpeechSegment), typeof(SpeechStart), typeof(SpeechSegment)],
            on.Events.Select(e => e.GetType()));
    }

    [Fact]
    public void OnWindow_OneSpeechWindowWithinTheEndpointSilence_OpensASegmentWithoutTheMinimumSpeech()
    {
        // Off, a 32 ms blip inside the endpoint silence belongs to the segment and reaches the upstream; on, it must too.
        var on = Feed(On, Windows((0.9f, 10), (0.1f, 8), (0.9f, 1), (0.0f, 20)));

        var parts = on.Segments.ToArray();
        Assert.Equal(2, parts.Length);
        Assert.Equal(parts[0].EndPosition, parts[1].StartPosition);
        Assert.Equal(18 * W, parts[1].SpeechStartPosition);
        Assert.Equal((19 * W) + 2_400, parts[1].EndPosition);
    }

    [Fact]
    public void OnWindow_SpeechAfterTheEndpointSilence_IsANewPhraseWithPreRollAndMinimumSpeech()
    {
        var on = Feed(On, Windows((0.9f, 10), (0.0f, 20), (0.9f, 5), (0.0f, 40), (0.9f, 10), (0.0f, 20)));

        var parts = on.Segments.ToArray();
        Assert.Equal(2, parts.Length); // the 5-window burst (160 ms) after the endpoint is under the minimum speech
        Assert.Equal((75 * W) - 4_000, parts[1].StartPosition);
    }

    [Fact]
    public void OnWindow_Trailing_OldestNeededStaysAtThePreviousEnd()
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(On, listener);
        var position = 0L;
        foreach (var p in Windows((0.9f, 10), (0.0f, 8)))
        {
            segmenter.OnWindow(position, p);
            position += W;
        }

        var closed = Assert.Single(listener.Segments);
        Assert.Equal(closed.EndPosition, segmenter.OldestNeededPosition); // the resumed segment would start there
        Assert.False(segmenter.InSpeech);
    }

    [Fact]
    public void Flush_WhileTrailing_NoSecondSegment()
    {
        var on = Feed(On, Windows((0.9f, 10), (0.0f, 8)));
        on.Segmenter.Flush();
        on.Segmenter.OnWindow(18 * W, 0.9f); // after a flush speech starts a phrase again, with the minimum speech

        Assert.Single(on.Segments);
    }

    [Fact]
    public void Settings_PostRollEqualToTheEndpoint_BehavesAsOff()
    {
        var settings = new SegmenterSettings { CloseAtSpeechEnd = true, EndpointSilenceMs = 320, PostRollMs = 320 };
        var on = Feed(settings, Windows((0.9f, 10), (0.1f, 8), (0.9f, 10), (0.0f, 20)));

        var segment = Assert.Single(on.Segments);
        Assert.Equal(SegmentEndReason.EndpointSilence, segment.Reason);
    }

    private static float[] Windows(params (float Probability, int Count)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Repeat(r.Probability, r.Count))];

    private static (List<object> Events, IEnumerable<SpeechSegment> Segments, Segmenter Segmenter) Feed(SegmenterSettings settings, float[] probabilities)
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(settings, listener);
        for (var i = 0; i < probabilities.Length; i++)
        {
            segmenter.OnWindow((long)i * W, probabilities[i]);
        }

        return (listener.Events, listener.Segments, segmenter);
    }
}
