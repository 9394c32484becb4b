using Gateway.Core.Results;
using Gateway.Core.Vad;

namespace Gateway.UnitTests.Pipeline;

/// <summary>
/// The pipeline passes the segmenter's endpoint to the VAD (<see cref="IVadSink.PeekPosition"/>) and a peek that says
/// silence ends the segment there, with its whole padded audio, before the window that contains the endpoint is whole.
/// </summary>
public sealed class PeekEndpointTests
{
    private const int W = PipelineHarness.Window;

    [Fact(Timeout = 10_000)]
    public async Task OnPeek_SilentAtTheEndpoint_SpeechEndsAtOnceWithTheWholeSegment()
    {
        await using var harness = new PipelineHarness();
        harness.Upstream.Away = true;
        var sink = (IVadSink)harness.Pipeline;
        harness.Speak(20);
        harness.Silence(15); // 480 ms of the 500 ms endpoint silence classified

        var endpoint = (20L * W) + 8_000;
        Assert.Equal(endpoint, sink.PeekPosition);
        harness.Audio.Ring.Write(new short[endpoint - harness.Audio.Written]); // the audio up to the endpoint, not a whole window
        Assert.Empty(harness.Of<SpeechEndedEvent>());

        sink.OnPeek(endpoint, 0.02f);

        var ended = Assert.Single(harness.Of<SpeechEndedEvent>());
        Assert.Equal("endpoint", ended.Cause);
        Assert.Equal((20L * W) + 2_400, ended.EndSample); // speech end + 150 ms post-roll: the same segment as a window later
        Assert.Equal(-1, sink.PeekPosition);
        // Only the pre-roll of future speech is held: the segment took its audio.
        Assert.True(harness.Audio.Released >= (35L * W) - 4_000, $"released {harness.Audio.Released}");
    }
}
