using Gateway.Core.Audio;
using Gateway.Core.Vad;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Vad;

public sealed class VadSchedulerTests
{
    private const float Tolerance = 1e-5f;
    private static readonly short[] Speech = SpeechFixture.Load("three_utterances").Samples;

    [Theory]
    [InlineData(64, 1, 6)]
    [InlineData(3, 2, 6)]
    [InlineData(8, 2, 40)] // rounds of 32 windows or more are shared with the helper thread
    public void RunOnce_ManyStreamsBatched_ProbabilitiesEqualSingleStream(int maxBatch, int workers, int streams)
    {
        // Streams with different audio (different offsets into the fixture) share every batch.
        var clips = Enumerable.Range(0, streams).Select(i => Speech.AsSpan(i * 1_979, 64_000).ToArray()).ToArray();
        var expected = clips.Select(c => VadTestHost.ClassifyAlone(c)).ToArray();

        using var scheduler = VadTestHost.Create(maxBatch, workers);
        var rings = clips.Select(c => new AudioRing(c.Length)).ToArray();
        var sinks = clips.Select(_ => new RecordingSink()).ToArray();
        var handles = rings.Select((r, i) => scheduler.Register(r, sinks[i])).ToArray();
        // Uneven arrival: stream i receives frames of a different size, so batch membership changes every tick.
        for (var step = 0; step < 400; step++)
        {
            for (var i = 0; i < clips.Length; i++)
            {
                var frame = 160 * ((i % 6) + 1);
                var from = (int)rings[i].WritePosition;
                rings[i].Write(clips[i].AsSpan(from, Math.Min(frame, clips[i].Length - from)));
            }

            scheduler.RunOnce();
        }

        while (scheduler.RunOnce() > 0)
        {
        }

        for (var i = 0; i < clips.Length; i++)
        {
            AssertClose(expected[i], sinks[i].Probabilities());
        }

        Array.ForEach(handles, h => h.Dispose());
    }

    [Fact]
    public void Register_OthersJoinAndLeaveMidStream_StreamProbabilitiesUnchanged()
    {
        var clip = Speech.AsSpan(0, 96_000).ToArray();
        var expected = VadTestHost.ClassifyAlone(clip);

        using var scheduler = VadTestHost.Create(maxBatch: 8);
        var ring = new AudioRing(clip.Length);
        var sink = new RecordingSink();
        using var handle = scheduler.Register(ring, sink);
        var others = new List<(AudioRing Ring, VadStreamHandle Handle)>();
        for (var offset = 0; offset < clip.Length; offset += 512)
        {
            ring.Write(clip.AsSpan(offset, Math.Min(512, clip.Length - offset)));
            var window = offset / 512;
            if (window % 10 == 3)
            {
                var other = new AudioRing(96_000);
                others.Add((other, scheduler.Register(other, new RecordingSink())));
            }

            if (window % 15 == 7 && others.Count > 0)
            {
                others[0].Handle.Dispose();
                others.RemoveAt(0);
            }

            foreach (var (other, _) in others)
            {
                var from = (int)other.WritePosition;
                other.Write(Speech.AsSpan(40_000 + from, 512));
            }

            scheduler.RunOnce();
        }

        AssertClose(expected, sink.Probabilities());
        Assert.NotEmpty(others); // the stream really shared its batches with others until the end
    }

    [Fact]
    public void RunOnce_StreamBehind_CatchesUpOverTicksWithoutSkipping()
    {
        using var scheduler = VadTestHost.Create(maxWindowsPerTick: 4);
        var ring = new AudioRing(16_000);
        var sink = new RecordingSink();
        using var handle = scheduler.Register(ring, sink);
        ring.Write(Speech.AsSpan(0, 10 * 512 + 100));

        Assert.Equal(4, scheduler.RunOnce());
        Assert.Equal(4, scheduler.RunOnce());
        Assert.Equal(2, scheduler.RunOnce());
        Assert.Equal(0, scheduler.RunOnce());

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i * 512), sink.Windows.Select(w => w.Start));
        Assert.Equal(10 * 512, handle.ClassifiedPosition);
    }

    [Fact]
    public void Register_RingAlreadyWritten_StartsAtWritePosition()
    {
        using var scheduler = VadTestHost.Create();
        var ring = new AudioRing(16_000);
        ring.Write(Speech.AsSpan(0, 1_000));
        var sink = new RecordingSink();
        using var handle = scheduler.Register(ring, sink);
        ring.Write(Speech.AsSpan(1_000, 1_024));

        scheduler.RunOnce();

        Assert.Equal(1_000, handle.StartPosition);
        Assert.Equal([1_000L, 1_512L], sink.Windows.Select(w => w.Start));
        Assert.Equal(0, ring.ReleasedPosition); // the VAD never releases the ring
    }

    [Fact]
    public void Dispose_Handle_SinkReceivesNoMoreWindows()
    {
        using var scheduler = VadTestHost.Create();
        var ring = new AudioRing(16_000);
        var sink = new RecordingSink();
        var handle = scheduler.Register(ring, sink);
        ring.Write(Speech.AsSpan(0, 1_024));
        scheduler.RunOnce();

        handle.Dispose();
        ring.Write(Speech.AsSpan(1_024, 2_048));
        scheduler.RunOnce();

        Assert.Equal(2, sink.Windows.Count);
        Assert.Equal(0, scheduler.StreamCount);
    }

    [Fact]
    public void RunOnce_EnergyGateOnSilence_SkipsInferenceAndKeepsSpeechProbabilities()
    {
        // 1 s of digital silence, then speech: the silent windows are gated (exactly 0), and because the
        // context still advances the speech that follows is detected as strongly as without the gate.
        var clip = new short[16_000 + 48_000];
        Speech.AsSpan(9_000, 48_000).CopyTo(clip.AsSpan(16_000));
        var ungated = VadTestHost.ClassifyAlone(clip);
        var gated = VadTestHost.ClassifyAlone(clip, gate: true);

        Assert.All(gated[..31], p => Assert.Equal(0f, p));
        Assert.DoesNotContain(0f, ungated[..31]);
        var speechUngated = ungated[40..].Count(p => p >= 0.5f);
        var speechGated = gated[40..].Count(p => p >= 0.5f);
        Assert.True(speechUngated > 20, $"fixture speech should be detected ({speechUngated} windows)");
        Assert.InRange(speechGated, speechUngated - 2, speechUngated + 2);
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_TimeAdvancesOneTick_ClassifiesWaitingWindows()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var time = new FakeTimeProvider();
        await using var scheduler = VadTestHost.Create(time: time);
        var ring = new AudioRing(16_000);
        var sink = new WindowSignal();
        using var handle = scheduler.Register(ring, sink);
        scheduler.Start();
        ring.Write(Speech.AsSpan(0, 512));

        Assert.True(scheduler.IsModelLoaded);
        Assert.False(sink.Received.Task.IsCompleted); // nothing before the tick
        time.Advance(scheduler.TickPeriod);

        Assert.Equal(0, await sink.Received.Task.WaitAsync(cts.Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_WhileATickIsRunning_StopsWithoutHanging()
    {
        // Regression: a round that started after Stop began woke a helper that exited without finishing its share.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var scheduler = VadTestHost.Create(maxBatch: 1, workers: 2, maxWindowsPerTick: 16);
        var sink = new SlowSink();
        // 40 streams: a round of 32 windows or more is shared with the helper thread.
        var rings = Enumerable.Range(0, 40).Select(_ => new AudioRing(16_000)).ToArray();
        var handles = rings.Select(r => scheduler.Register(r, sink)).ToArray();
        Array.ForEach(rings, r => r.Write(Speech.AsSpan(0, 2 * 512)));
        scheduler.Start();

        await sink.Entered.Task.WaitAsync(cts.Token);
        await Task.Run(scheduler.Dispose).WaitAsync(cts.Token);

        Assert.Equal(40 * 2, sink.Calls); // the running tick finished its later rounds (with the helper) before Stop returned
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"window {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private sealed class SlowSink : IVadSink
    {
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public void OnWindow(long windowStart, float probability)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            Thread.Sleep(20); // keeps the tick busy while the test disposes the scheduler
        }
    }

    private sealed class WindowSignal : IVadSink
    {
        public TaskCompletionSource<long> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnWindow(long windowStart, float probability) => Received.TrySetResult(windowStart);
    }
}
