using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Jobs;
using Gateway.Load.Jobs;
using Gateway.Load.Metrics;
using LoadFixture = Gateway.Load.Audio.SpeechFixture;

namespace Gateway.FunctionalTests.Load;

/// <summary>
/// The load tool's jobs mode in process against a real gateway, simulator and ffmpeg: the jobs API run and the
/// per-file-connection baseline that docs/benchmarks.md's jobs throughput compares it with.
/// </summary>
public sealed class JobLoadToolTests
{
    private const double FileSeconds = 20;

    [Fact(Timeout = 120_000)]
    public async Task RunJobs_TwoGeneratedFiles_BothCompleteSegmentedOverThePoolAndTheReportAddsUp()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        var file = await JobFile.CreateAsync(LoadFixture.Load(LoadFixture.DefaultPath), TimeSpan.FromSeconds(FileSeconds), 0.5, 500, media.Directory, cts.Token);
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        using var jobs = await JobLoad.SubmitAsync(gateway.Http, file, 2, FileSeconds, cts.Token);
        var report = await jobs.TrackAsync(TimeSpan.FromMilliseconds(200), metrics, CancellationToken.None, cts.Token);

        Assert.Equal("gateway jobs", report.Mode);
        Assert.Equal(2, report.Completed);
        Assert.Equal(0, report.Failed + report.StillRunning + report.Queued);
        Assert.Empty(report.Errors);
        Assert.All(jobs.Jobs, j => Assert.InRange(j.AudioSeconds, FileSeconds - 0.1, FileSeconds + 0.1)); // the gateway's duration of the generated file
        Assert.All(jobs.Jobs, j => Assert.Equal(j.AudioSeconds, j.Done));
        Assert.Equal(jobs.Jobs.Sum(j => j.Done - j.DoneAtStart), report.AudioSecondsDone, 6);
        Assert.Equal(report.AudioSecondsDone / report.WindowSeconds, report.AudioHoursPerWallHour, 6);
        Assert.Equal(2, report.Rtf.Count);
        Assert.Equal(2, report.FinishedSeconds.Count);
        Assert.Equal(0, report.ProjectedFinishSeconds.Count);
        Assert.NotNull(report.Gateway);
        // Segmented: each file's speech went upstream as many utterances, not one.
        Assert.True(gateway.Simulator.Stats.UtterancesCompleted > 4, $"{gateway.Simulator.Stats.UtterancesCompleted} utterances upstream");
    }

    [Fact(Timeout = 120_000)]
    public async Task RunPerFileConnection_TwoGeneratedFiles_OneUpstreamConnectionAndUtteranceEach()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        var file = await JobFile.CreateAsync(LoadFixture.Load(LoadFixture.DefaultPath), TimeSpan.FromSeconds(FileSeconds), 0.5, 500, media.Directory, cts.Token);
        var connectionsBefore = gateway.Simulator.Stats.ConnectionsOpened;
        var utterancesBefore = gateway.Simulator.Stats.UtterancesCompleted;

        var report = await PerFileConnectionLoad.RunAsync(gateway.Simulator.Url, file, 2, FileSeconds, 500, TimeSpan.FromSeconds(90), cts.Token);

        Assert.Equal("per-file connection", report.Mode);
        Assert.Equal(2, report.Completed);
        Assert.Empty(report.Errors);
        Assert.Equal(2 * FileSeconds, report.AudioSecondsDone, 3); // every sample of both files was sent
        Assert.Equal(2, report.Rtf.Count);
        Assert.Equal(2, report.FinishedSeconds.Count);
        Assert.Equal(2, gateway.Simulator.Stats.ConnectionsOpened - connectionsBefore);
        Assert.Equal(2, gateway.Simulator.Stats.UtterancesCompleted - utterancesBefore); // the whole file as one utterance
        Assert.Equal(0, gateway.Simulator.Stats.ViolationCount);
    }
}
