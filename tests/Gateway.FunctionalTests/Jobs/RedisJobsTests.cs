using System.Net;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>Several gateways on one real redis-server: one queue, one result store, no job lost or run twice.</summary>
public sealed class RedisJobsTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(110));
    private readonly JobMedia _media = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _media.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task FortyJobs_TwoGateways_EachCompletedExactlyOnce_AnyGatewayAnswers()
    {
        await using var a = await TestGateway.StartAsync(Settings("a"));
        await using var b = await TestGateway.StartAsync(Settings("b"));
        using var apiA = new JobApi(a.Http);
        using var apiB = new JobApi(b.Http);
        var wav = _media.Wav();
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await (i % 2 == 0 ? apiA : apiB).SubmitOkAsync(wav, $"{i}.wav"));
        }

        foreach (var id in ids)
        {
            // Asked of the other gateway than the one it was submitted to, half the time.
            var result = await apiB.WaitFinishedAsync(id, _deadline.Token);
            Assert.Equal("done", result.GetProperty("status").GetString());
            Assert.Equal(1, result.GetProperty("attempts").GetInt32());
            Assert.Equal("The quick brown fox jumps over the dog.", result.GetProperty("sentences")[0].GetProperty("text").GetString());
        }

        // Each job's 3 segments reached an upstream once: nothing was transcribed twice.
        Assert.Equal(40 * 3, a.Simulator.Stats.UtterancesStarted + b.Simulator.Stats.UtterancesStarted);
        Assert.True(a.Simulator.Stats.UtterancesStarted > 0 && b.Simulator.Stats.UtterancesStarted > 0, "both gateways took jobs");
        var history = JsonDocument.Parse(await apiA.Http.GetStringAsync("/api/v1/asr/history?page_size=200&status=done")).RootElement;
        Assert.Equal(40, history.GetProperty("total").GetInt32());
    }

    [Fact(Timeout = 120_000)]
    public async Task GatewayDiesMidJob_TheOtherReclaimsAndResumesFromItsSegments()
    {
        var slow = new FunAsr.Simulator.SimulatorOptions { StepLatency = TimeSpan.FromMilliseconds(30) };
        var a = await TestGateway.StartAsync(Settings("a", maxSegments: 1), simulatorOptions: slow);
        using var apiA = new JobApi(a.Http);
        var id = await apiA.SubmitOkAsync(_media.Wav("long.wav", times: 4));
        while (a.Simulator.Stats.UtterancesCompleted < 3)
        {
            await Task.Delay(20, _deadline.Token);
        }

        // Gateway A stops renewing its lease: what a dead worker looks like to the others.
        await a.DisposeAsync();
        var doneByA = (int)a.Simulator.Stats.UtterancesCompleted;
        await using var b = await TestGateway.StartAsync(Settings("b"));
        using var apiB = new JobApi(b.Http);

        var result = await apiB.WaitFinishedAsync(id, _deadline.Token);

        Assert.Equal("done", result.GetProperty("status").GetString());
        Assert.Equal(2, result.GetProperty("attempts").GetInt32());
        Assert.Equal(4 * 3, result.GetProperty("sentences").GetArrayLength());
        // B transcribed only what A had not finished (A's last segment may have been cut by its stop).
        Assert.InRange(b.Simulator.Stats.UtterancesStarted, 12 - doneByA, 12 - doneByA + 1);
    }

    [Fact(Timeout = 120_000)]
    public async Task RedisDown_ReadinessFailsAnd503_AcceptedJobCompletesWhenItReturns()
    {
        await using var gateway = await TestGateway.StartAsync(Settings("a"), simulatorOptions: new FunAsr.Simulator.SimulatorOptions { StepLatency = TimeSpan.FromMilliseconds(30) });
        using var api = new JobApi(gateway.Http);
        var id = await api.SubmitOkAsync(_media.Wav("long.wav", times: 3));

        await _redis.KillAsync();

        using (var ready = await api.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("jobs: Unhealthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var submit = await api.SubmitAsync(_media.Wav("other.wav")))
        {
            var (status, detail) = await JobApi.ProblemAsync(submit);
            Assert.Equal(503, status);
            Assert.StartsWith("the job store (Redis) is unavailable", detail, StringComparison.Ordinal);
        }

        using (var result = await api.Http.GetAsync($"/api/v1/asr/result/{id}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, result.StatusCode);
        }

        await _redis.RestartAsync();

        var done = await WaitReachableAsync(api, id);
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(3 * 3, done.GetProperty("sentences").GetArrayLength());
    }

    private async Task<JsonElement> WaitReachableAsync(JobApi api, string id)
    {
        while (true)
        {
            using var response = await api.Http.GetAsync($"/api/v1/asr/result/{id}", _deadline.Token);
            if (response.IsSuccessStatusCode)
            {
                var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (result.GetProperty("status").GetString() is "done" or "failed")
                {
                    return result;
                }
            }

            await Task.Delay(200, _deadline.Token);
        }
    }

    private Dictionary<string, string?> Settings(string name, int maxSegments = 4) => new()
    {
        ["Jobs:DataDirectory"] = _media.File("data-" + name),
        ["Jobs:Redis"] = _redis.Configuration,
        ["Jobs:LeaseTimeout"] = "00:00:06", // renewed every second: a worker starved of CPU for a few seconds on a loaded machine keeps its job
        ["Jobs:MaxSegmentsInFlightPerJob"] = maxSegments.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
