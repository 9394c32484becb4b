using Gateway.Core.Jobs;
using Gateway.Core.Segmentation;
using Gateway.Core.Vad;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Jobs;

public sealed class FileAudioTests
{
    /// <summary>
    /// The VAD worker calls <c>OnWindow</c> and only then advances its own position. The end of a recording must be
    /// recognised from the windows the sink saw: a decoder that re-checked the scheduler's position between the two
    /// slept for ever, since no window follows the last one (a synchronous Deepgram POST hung until its client gave up).
    /// </summary>
    [Fact(Timeout = 10_000)]
    public async Task Complete_EndsWhenTheSinkHasSeenTheLastWindow_WhateverTheSchedulerPositionSays()
    {
        // Never started: the test plays the VAD worker, which delivers windows but never advances the stream.
        using var scheduler = new VadScheduler(Options.Create(new VadOptions()), TimeProvider.System, NullLogger<VadScheduler>.Instance);
        using var audio = new FileAudio(SegmenterSettings.FromOptions(new SegmenterOptions()), scheduler, maxPending: 4);
        await audio.WriteAsync(new byte[1_000 * sizeof(short)], CancellationToken.None); // padded to two windows

        var completing = audio.CompleteAsync(CancellationToken.None);
        Assert.False(completing.IsCompleted);
        audio.OnWindow(0, 0f);
        Assert.False(completing.IsCompleted);
        audio.OnWindow(VadEngine.WindowSamples, 0f);

        await completing.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1_000, audio.Written);
        Assert.False(await audio.Segments.WaitToReadAsync()); // silence: no segment, and the channel is complete
    }
}
