using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Segmentation;

/// <summary>
/// The endpoint decided at its sample (<see cref="Segmenter.PeekPosition"/>, <see cref="Segmenter.OnPeek"/>): with
/// 500 ms of endpoint silence (8 000 samples, 15.6 windows) a peek at silence start + 8 000 ends the segment one
/// window before <see cref="Segmenter.OnWindow"/> would, with the same segment; speech in the peek changes nothing.
/// </summary>
public sealed class SegmenterPeekTests
{
    private const int W = 512;
    private const long SilenceStart = 40 * W; // 20 silent windows, 20 speech windows, then silence
    private const long Endpoint = SilenceStart + 8_000;

    [Fact]
    public void PeekPosition_SilenceAfterSpeech_IsTheSampleWhereTheEndpointSilenceIsComplete()
    {
        var (listener, segmenter) = Feed(new SegmenterSettings(), speech: 20, silence: 0);
        Assert.Equal(-1, segmenter.PeekPosition); // speech, no silence yet

        segmenter.OnWindow(SilenceStart, 0.0f);

        Assert.Equal(Endpoint, segmenter.PeekPosition);
        Assert.Empty(listener.Segments);
    }

    [Fact]
    public void OnPeek_SilentAtTheEndpoint_EndsTheSegmentAsTheNextWholeWindowWould()
    {
        // 15 silent windows classified (480 ms): the 16th contains the endpoint sample.
        var (peeked, segmenter) = Feed(new SegmenterSettings(), speech: 20, silence: 15);
        Assert.Empty(peeked.Segments);

        segmenter.OnPeek(Endpoint, 0.05f);

        var (windowed, _) = Feed(new SegmenterSettings(), speech: 20, silence: 16);
        var early = Assert.Single(peeked.Segments);
        Assert.Equal(Assert.Single(windowed.Segments), early); // the same segment, one window sooner
        Assert.Equal(SegmentEndReason.EndpointSilence, early.Reason);
        Assert.Equal(SilenceStart, early.SpeechEndPosition);
        Assert.Equal(SilenceStart + 2_400, early.EndPosition);
        Assert.Equal(-1, segmenter.PeekPosition);
        Assert.False(segmenter.InSpeech);

        segmenter.OnWindow(55 * W, 0.0f); // the whole window that contained the endpoint: nothing more
        Assert.Single(peeked.Segments);
    }

    [Fact]
    public void OnPeek_SpeechAtTheEndpoint_LeavesTheDecisionToTheWindows()
    {
        var (listener, segmenter) = Feed(new SegmenterSettings(), speech: 20, silence: 15);

        segmenter.OnPeek(Endpoint, 0.9f);

        Assert.Empty(listener.Segments);
        Assert.True(segmenter.InSpeech);
        segmenter.OnWindow(55 * W, 0.9f); // speech resumed: the silence is forgotten, the segment goes on
        Assert.Empty(listener.Segments);
        Assert.Equal(-1, segmenter.PeekPosition);
    }

    [Fact]
    public void OnPeek_NotTheEndpointPosition_Ignored()
    {
        var (listener, segmenter) = Feed(new SegmenterSettings(), speech: 20, silence: 15);

        segmenter.OnPeek(Endpoint - 1, 0.0f);
        segmenter.OnPeek(Endpoint + W, 0.0f);

        Assert.Empty(listener.Segments);
        Assert.True(segmenter.InSpeech);
    }

    [Fact]
    public void PeekPosition_CloseAtSpeechEnd_None()
    {
        // That mode ends the segment at the post-roll, before the endpoint: nothing to decide at a sample.
        var (_, segmenter) = Feed(new SegmenterSettings { CloseAtSpeechEnd = true }, speech: 20, silence: 2);

        Assert.Equal(-1, segmenter.PeekPosition);
    }

    private static (RecordingListener Listener, Segmenter Segmenter) Feed(SegmenterSettings settings, int speech, int silence)
    {
        var listener = new RecordingListener();
        var segmenter = new Segmenter(settings, listener);
        var probabilities = Enumerable.Repeat(0.0f, 20).Concat(Enumerable.Repeat(0.9f, speech)).Concat(Enumerable.Repeat(0.0f, silence)).ToArray();
        for (var i = 0; i < probabilities.Length; i++)
        {
            segmenter.OnWindow((long)i * W, probabilities[i]);
        }

        return (listener, segmenter);
    }
}
