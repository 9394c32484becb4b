using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Gateway.FunctionalTests.Infrastructure;
using FunAsr.Simulator;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>A gateway process killed mid-job (SIGKILL) and started again: the job completes from where it was.</summary>
public sealed class CrashResumeTests
{
    [Fact(Timeout = 120_000)]
    public async Task KillGatewayMidJob_RestartResumesFromTheLastFinishedSegment()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        using var media = new JobMedia();
        await using var simulator = await FunAsrSimulator.StartAsync(new SimulatorOptions { StepLatency = TimeSpan.FromMilliseconds(30) }, deadline.Token);
        var settings = new Dictionary<string, string> { ["Jobs:DataDirectory"] = media.File("data"), ["Jobs:MaxSegmentsInFlightPerJob"] = "1" };
        const int Segments = 5 * 3;

        string id;
        await using (var first = await GatewayProcess.StartAsync(simulator.Url, settings, deadline.Token))
        {
            using var api = new JobApi(first.Http);
            id = await api.SubmitOkAsync(media.Wav("long.wav", times: 5));
            while (simulator.Stats.UtterancesCompleted < 4)
            {
                await Task.Delay(10, deadline.Token);
            }

            await first.KillAsync();
        }

        var startedBeforeCrash = simulator.Stats.UtterancesStarted;
        int recorded;
        using (var store = new SqliteJobStore(
            Microsoft.Extensions.Options.Options.Create(new JobsOptions { DataDirectory = media.File("data") }), TimeProvider.System, new JobDataDirectory(media.File("data"))))
        {
            recorded = (await store.GetSegmentsAsync(id, deadline.Token)).Count;
        }

        Assert.InRange(recorded, 3, Segments - 1);

        await using var second = await GatewayProcess.StartAsync(simulator.Url, settings, deadline.Token);
        using var api2 = new JobApi(second.Http);
        var result = await api2.WaitFinishedAsync(id, deadline.Token);

        Assert.Equal("done", result.GetProperty("status").GetString());
        Assert.Equal(Segments, result.GetProperty("sentences").GetArrayLength());
        Assert.Equal(
            Enumerable.Repeat(SpeechFixture.ThreeUtterances.Words, 5).SelectMany(w => w),
            result.GetProperty("sentences").EnumerateArray().SelectMany(s => s.GetProperty("text").GetString()!.Split(' ')).Select(w => w.TrimEnd('.')));
        // Each recorded segment was transcribed once: the restart sent only the others.
        Assert.Equal(Segments - recorded, simulator.Stats.UtterancesStarted - startedBeforeCrash);
    }
}
