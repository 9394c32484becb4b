using Gateway.FunctionalTests.Infrastructure;
using Gateway.Load.Idle;
using Gateway.Load.Metrics;
using Gateway.Load.Resume;
using Gateway.Load.Streams;
using LoadFixture = Gateway.Load.Audio.SpeechFixture;

namespace Gateway.FunctionalTests.Load;

/// <summary>The load tool's reset mode (<c>--reset-every</c>, <c>idle --detach</c>) in process against a real gateway and simulator.</summary>
public sealed class ResetLoadToolTests
{
    [Fact(Timeout = 120_000)]
    public async Task RunStreams_WithResets_EveryResetResumedAndEveryWordOnce()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var settings = new StreamSettings(
            Duration: TimeSpan.FromSeconds(4), TalkRatio: 0.5, FrameMs: 50, Ramp: TimeSpan.FromMilliseconds(300),
            RealTimeFactor: 2, EndpointSilenceMs: 300, Seed: 5, DrainTimeout: TimeSpan.FromSeconds(30));
        var resets = new ResetSchedule(TimeSpan.FromMilliseconds(700), fraction: 0.5, seed: 5);

        var report = await StreamLoad.RunAsync(
            gateway.Stream(), 4, settings, LoadFixture.Load(LoadFixture.DefaultPath), upstreamProcessingMs: 10, metrics: null, cts.Token, resets);

        var resume = Assert.IsType<ResumeReport>(report.Resume);
        Assert.True(resume.Resets >= 4, $"{resume.Resets} resets");
        Assert.Equal(resume.Resets, resume.Resumed);
        Assert.Empty(resume.Failures);
        Assert.Equal(resume.Resets, resume.ResumeMs.Count);
        Assert.Equal(4, report.Connected);
        Assert.Equal(report.Words.Expected, report.Words.Recovered);
        Assert.Equal(0, report.Words.Lost + report.Words.Duplicated + report.Words.OutOfOrder + report.Words.Unexpected);
        Assert.Equal(0, report.DuplicatedFinals);
        Assert.Empty(report.Errors);
        Assert.Equal(0, report.AbnormalCloses);
    }

    [Fact(Timeout = 60_000)]
    public async Task RunIdle_Detach_GatewayReportsEverySessionDetached()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        var report = await IdleLoad.RunAsync(gateway.Stream(), 8, TimeSpan.FromMilliseconds(300), metrics, cts.Token, detach: true);

        Assert.Equal(8, report.Opened);
        Assert.Equal(8, report.DetachedSessions);
    }
}
