using Gateway.FunctionalTests.Infrastructure;
using Gateway.Load.Metrics;
using Gateway.Load.Rooms;
using Gateway.Load.Streams;
using LoadFixture = Gateway.Load.Audio.SpeechFixture;

namespace Gateway.FunctionalTests.Load;

/// <summary>The load tool's rooms mode in process against a real gateway and simulator.</summary>
public sealed class RoomLoadToolTests
{
    [Fact(Timeout = 90_000)]
    public async Task RunRooms_TwoRoomsTwoSpeakersThreeViewers_EveryFinalReachesEveryViewerOnce()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        var settings = new StreamSettings(
            Duration: TimeSpan.FromSeconds(1), TalkRatio: 0.5, FrameMs: 50, Ramp: TimeSpan.FromMilliseconds(300),
            RealTimeFactor: 3, EndpointSilenceMs: 300, Seed: 5, DrainTimeout: TimeSpan.FromSeconds(30));
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        var report = await RoomLoad.RunAsync(gateway.Http, rooms: 2, speakers: 2, viewers: 3, settings, LoadFixture.Load(LoadFixture.DefaultPath), 10, metrics, TimeSpan.FromMilliseconds(200), cts.Token);

        Assert.Equal(6, report.ViewersConnected);
        Assert.True(report.SpeakerFinals >= 4, $"{report.SpeakerFinals} speaker finals");
        Assert.Equal(report.SpeakerFinals * 3L, report.ExpectedViewerFinals);
        Assert.Equal(0, report.LostViewerFinals);
        Assert.Equal(0, report.DuplicatedViewerFinals);
        Assert.Equal(report.ExpectedViewerFinals, report.FinalToViewerMs.Count);
        Assert.Equal(0, report.DroppedViewers);
        Assert.Equal(2, report.RoomFirstPartialP50Ms.Count);
        Assert.Equal(report.Speakers.Words.Expected, report.Speakers.Words.Recovered);
        Assert.True(report.Gateway!.RoomFanOutMessages >= report.ExpectedViewerFinals);
    }
}
