using Gateway.Core.Audio;
using Gateway.Core.Vad;

namespace Gateway.UnitTests.Vad;

/// <summary>
/// <see cref="IVadSink.PeekPosition"/>: the scheduler classifies the 512 samples ending at a position inside the next
/// window once the ring has reached it, from a copy of the stream's state, so the stream's windows stay the same.
/// </summary>
public sealed class VadSchedulerPeekTests
{
    private const int W = VadEngine.WindowSamples;
    private static readonly short[] Speech = SpeechFixture.Load("three_utterances").Samples;

    [Fact]
    public void RunOnce_PeekInsideTheNextWindow_DeliveredOnceAndWindowsUnchanged()
    {
        var clip = Speech.AsSpan(0, 64 * W).ToArray();
        var expected = VadTestHost.ClassifyAlone(clip);
        using var scheduler = VadTestHost.Create(maxBatch: 8);
        var ring = new AudioRing(clip.Length);
        var sink = new PeekSink();
        using var handle = scheduler.Register(ring, sink);

        for (var window = 0; window < 64; window++)
        {
            // Ask for a peek 300 samples into every other window: written only up to 200 first (not reached yet).
            sink.At = window % 2 == 1 ? ((long)window * W) + 300 : -1;
            ring.Write(clip.AsSpan(window * W, 200));
            scheduler.RunOnce();
            Assert.DoesNotContain(sink.Peeks, p => p.End == sink.At);
            ring.Write(clip.AsSpan((window * W) + 200, 200));
            scheduler.RunOnce();
            scheduler.RunOnce(); // the same position is peeked once
            ring.Write(clip.AsSpan((window * W) + 400, W - 400));
            scheduler.RunOnce();
        }

        Assert.Equal(Enumerable.Range(0, 32).Select(i => (((2L * i) + 1) * W) + 300), sink.Peeks.Select(p => p.End));
        Assert.Equal(expected.Length, sink.Probabilities.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - sink.Probabilities[i]) <= 1e-5f, $"window {i}: expected {expected[i]}, got {sink.Probabilities[i]}");
        }
    }

    [Fact]
    public void RunOnce_PeekOnSpeechAndOnSilence_ClassifiesThePeekedSamples()
    {
        // Speech, then a second of digital silence: a peek inside speech says speech, one inside the silence does not.
        var clip = Speech.AsSpan(0, 96 * W).ToArray().Concat(new short[32 * W]).ToArray();
        var expected = VadTestHost.ClassifyAlone(clip);
        var speechWindow = Enumerable.Range(1, 94).First(i => expected[i - 1] > 0.9f && expected[i] > 0.9f && expected[i + 1] > 0.9f);
        using var scheduler = VadTestHost.Create();
        var ring = new AudioRing(clip.Length);
        var sink = new PeekSink();
        using var handle = scheduler.Register(ring, sink);

        foreach (var window in new[] { speechWindow, 120 })
        {
            sink.At = ((long)window * W) + 320;
            ring.Write(clip.AsSpan((int)ring.WritePosition, (int)(sink.At - ring.WritePosition)));
            scheduler.RunOnce();
            ring.Write(clip.AsSpan((int)ring.WritePosition, ((window + 1) * W) - (int)ring.WritePosition));
            scheduler.RunOnce();
        }

        Assert.Equal(2, sink.Peeks.Count);
        Assert.True(sink.Peeks[0].Probability > 0.5f, $"speech peek {sink.Peeks[0].Probability}");
        Assert.True(sink.Peeks[1].Probability < 0.1f, $"silence peek {sink.Peeks[1].Probability}");
    }

    [Fact]
    public void RunOnce_PeekAtAWindowBoundaryOrBeyondTheNextWindow_NotPeeked()
    {
        using var scheduler = VadTestHost.Create();
        var ring = new AudioRing(16 * W);
        var sink = new PeekSink();
        using var handle = scheduler.Register(ring, sink);
        ring.Write(Speech.AsSpan(0, (4 * W) + 100));
        scheduler.RunOnce();

        foreach (var at in new long[] { 4 * W, (5 * W) + 10, 3 * W, -1 })
        {
            sink.At = at; // a whole window decides at a boundary; a later position is not reached
            scheduler.RunOnce();
        }

        Assert.Empty(sink.Peeks);
        Assert.Equal(4, sink.Probabilities.Count);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(4)]
    public void RunOnce_WindowWithThePeekAlreadyWhole_PeekedBeforeItAsWhenTheAudioCameInPieces(int maxWindowsPerTick)
    {
        // A client that stalls and then catches up delivers the window with the endpoint whole, in one burst with
        // the audio after it: the peek must still come, before that window and with the same probability.
        var clip = Speech.AsSpan(0, 64 * W).ToArray();
        const long At = (40L * W) + 300;

        using var paced = VadTestHost.Create();
        var ring = new AudioRing(clip.Length);
        var inPieces = new PeekSink { At = At };
        using (paced.Register(ring, inPieces))
        {
            ring.Write(clip.AsSpan(0, (int)At));
            paced.RunOnce();
            ring.Write(clip.AsSpan((int)At));
            paced.RunOnce();
        }

        using var burst = VadTestHost.Create(maxWindowsPerTick: maxWindowsPerTick);
        ring = new AudioRing(clip.Length);
        var inOneBurst = new PeekSink { At = At };
        using (burst.Register(ring, inOneBurst))
        {
            ring.Write(clip);
            while (burst.RunOnce() > 0)
            {
            }
        }

        var expected = Assert.Single(inPieces.Peeks);
        Assert.Equal((At, 40), (expected.End, expected.WindowsBefore));
        var peek = Assert.Single(inOneBurst.Peeks);
        Assert.Equal((At, 40), (peek.End, peek.WindowsBefore));
        Assert.True(Math.Abs(expected.Probability - peek.Probability) <= 1e-6f, $"in pieces {expected.Probability}, in one burst {peek.Probability}");
        Assert.Equal(inPieces.Probabilities, inOneBurst.Probabilities);
    }

    private sealed class PeekSink : IVadSink
    {
        public long At { get; set; } = -1;

        public long PeekPosition => At;

        public List<float> Probabilities { get; } = [];

        /// <summary>Each peek with the number of windows delivered before it.</summary>
        public List<(long End, float Probability, int WindowsBefore)> Peeks { get; } = [];

        public void OnWindow(long windowStart, float probability) => Probabilities.Add(probability);

        public void OnPeek(long windowEnd, float probability) => Peeks.Add((windowEnd, probability, Probabilities.Count));
    }
}
