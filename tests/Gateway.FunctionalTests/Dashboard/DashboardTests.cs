using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Core.Auth;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Jobs;

namespace Gateway.FunctionalTests.Dashboard;

/// <summary>The dashboard: its JSON (the sampler's one-second ring) and the page in headless Chromium while a job runs.</summary>
public sealed class DashboardTests
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(50));

    [Fact(Timeout = 60_000)]
    public async Task Data_AfterAJob_HasTheRingTheJobRowAndThroughput()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var api = new JobApi(gateway.Http);

        var id = await api.SubmitOkAsync(media.Wav());
        await api.WaitFinishedAsync(id, _deadline.Token);
        // The job's audio reaches the ring with the next sample.
        var data = await WaitForDataAsync(api, d => d.GetProperty("samples").EnumerateArray().Any(s => s.GetProperty("audio_seconds_per_second").GetDouble() > 0));

        Assert.Equal(1, data.GetProperty("period_seconds").GetDouble());
        var sample = data.GetProperty("samples").EnumerateArray().Last();
        foreach (var name in (string[])["at", "cpu_percent", "working_set_bytes", "managed_heap_bytes", "live_sessions", "rooms", "jobs_queued", "jobs_processing", "final_latency_p50_ms", "final_latency_p99_ms", "audio_seconds_per_second"])
        {
            Assert.True(sample.TryGetProperty(name, out _), $"sample has no {name}: {sample}");
        }

        Assert.True(sample.GetProperty("working_set_bytes").GetInt64() > 0);
        var upstream = Assert.Single(sample.GetProperty("upstream").EnumerateArray());
        Assert.True(upstream.GetProperty("healthy").GetBoolean());
        Assert.True(upstream.GetProperty("idle").GetInt32() + upstream.GetProperty("in_use").GetInt32() > 0, upstream.ToString());
        var job = Assert.Single(data.GetProperty("jobs").EnumerateArray());
        Assert.Equal(id, job.GetProperty("task_id").GetString());
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(100, job.GetProperty("progress").GetDouble());
        Assert.Equal(1, data.GetProperty("jobs_total").GetInt32());
        Assert.Equal(JsonValueKind.Array, data.GetProperty("errors").ValueKind);
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhileAJobRuns_ChartsAndTheJobsTableChange_Screenshot()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var api = new JobApi(gateway.Http);
        await using var browser = await HeadlessChromium.LaunchAsync();

        await browser.NavigateAsync(new Uri(gateway.Http, "/dashboard"));
        // The first sample can be taken before the pool reports its endpoint: wait for the row, do not assume it.
        await browser.WaitForAsync(
            "Number(document.body.dataset.updates) >= 1 && document.querySelectorAll('#upstream tbody tr').length === 1",
            TimeSpan.FromSeconds(15));
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#jobs tbody tr').length")).GetInt32());

        var id = await api.SubmitOkAsync(media.Wav(times: 2));

        // Drawn from the ring: once a sample saw the job running, the sparklines keep it for minutes.
        await browser.WaitForAsync($"document.querySelector('#jobs tbody tr[data-status=done] td')?.textContent === '{id}'", TimeSpan.FromSeconds(30));
        await browser.WaitForAsync($"{Raised("throughput")} && {Raised("processing")}", TimeSpan.FromSeconds(15));
        Assert.Contains("100.0 %", (await browser.EvaluateAsync("document.querySelector('#jobs tbody tr').textContent")).GetString(), StringComparison.Ordinal);

        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        var screenshot = Path.Combine(artifacts.FullName, "dashboard.png");
        await File.WriteAllBytesAsync(screenshot, await browser.ScreenshotAsync());
        Assert.True(new FileInfo(screenshot).Length > 1000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_AuthOn_KeyInTheFragmentIsSentAsBearer_LeavesTheAddressBar_WrongKeyAsksAgain()
    {
        const string admin = "sk-dashboard-admin-0123456789";
        const string jobsOnly = "sk-dashboard-jobs-0123456789";
        using var media = new JobMedia();
        var settings = FileTranscriberTests.Settings(media);
        settings["Auth:Enabled"] = "true";
        settings["Auth:Keys:0:Name"] = "admin";
        settings["Auth:Keys:0:Hash"] = ApiKeys.HashOf(admin);
        settings["Auth:Keys:0:Scopes:0"] = Scopes.Admin;
        settings["Auth:Keys:1:Name"] = "jobs";
        settings["Auth:Keys:1:Hash"] = ApiKeys.HashOf(jobsOnly);
        settings["Auth:Keys:1:Scopes:0"] = Scopes.Jobs;
        await using var gateway = await TestGateway.StartAsync(settings);
        await using var browser = await HeadlessChromium.LaunchAsync();

        // Without a key the page loads (it holds no data) and asks for one.
        await browser.NavigateAsync(new Uri(gateway.Http, "/dashboard"));
        await browser.WaitForAsync("!document.getElementById('login').hidden && document.getElementById('status').textContent.includes('401')", TimeSpan.FromSeconds(15));

        await browser.NavigateAsync(new Uri(gateway.Http, "/dashboard/#token=" + admin));
        await browser.WaitForAsync("Number(document.body.dataset.updates) >= 2", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(admin, (await browser.EvaluateAsync("location.href")).GetString(), StringComparison.Ordinal);
        Assert.True((await browser.EvaluateAsync("document.getElementById('login').hidden")).GetBoolean());

        // A key without the admin scope is dropped and the form comes back; typing the admin key resumes the updates.
        await browser.NavigateAsync(new Uri(gateway.Http, "/dashboard/?token=" + jobsOnly));
        await browser.WaitForAsync("!document.getElementById('login').hidden && document.getElementById('status').textContent.includes('403')", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(jobsOnly, (await browser.EvaluateAsync("location.href")).GetString(), StringComparison.Ordinal);
        await browser.EvaluateAsync($"document.getElementById('key').value = '{admin}'; document.getElementById('login').requestSubmit()");
        await browser.WaitForAsync("Number(document.body.dataset.updates) >= 1", TimeSpan.FromSeconds(15));
        Assert.True((await browser.EvaluateAsync("document.getElementById('login').hidden")).GetBoolean());
    }

    /// <summary>A chart's sparkline has a point above zero.</summary>
    private static string Raised(string chart) =>
        $"document.querySelector('[data-chart={chart}] polyline').getAttribute('points').split(' ').some(p => p && parseFloat(p.split(',')[1]) < 39.9)";

    private async Task<JsonElement> WaitForDataAsync(JobApi api, Func<JsonElement, bool> condition)
    {
        while (true)
        {
            var data = await api.Http.GetFromJsonAsync<JsonElement>("/api/v1/dashboard", _deadline.Token);
            if (condition(data))
            {
                return data;
            }

            await Task.Delay(200, _deadline.Token);
        }
    }
}
