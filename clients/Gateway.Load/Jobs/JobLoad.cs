using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Load.Metrics;

namespace Gateway.Load.Jobs;

/// <summary>
/// N jobs through the gateway's jobs API (docs/jobs.md): the same file submitted N times, then each job's
/// <c>GET /api/v1/asr/result/{id}</c> polled every <c>pollEvery</c> until every job ended or the window closed.
/// Audio done is the job's <c>progress</c> (the share of its audio whose finals arrived) times its duration.
/// </summary>
internal sealed class JobLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly List<JobProgress> _jobs;
    private readonly double _audioSeconds;

    private JobLoad(HttpClient http, List<JobProgress> jobs, double audioSeconds)
    {
        _http = http;
        _jobs = jobs;
        _audioSeconds = audioSeconds;
    }

    public IReadOnlyList<JobProgress> Jobs => _jobs;

    public static async Task<JobLoad> SubmitAsync(Uri gateway, string file, int jobs, double audioSeconds, CancellationToken token)
    {
        var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        var submitted = new List<JobProgress>();
        try
        {
            for (var i = 0; i < jobs; i++)
            {
                await using var body = File.OpenRead(file);
                using var form = new MultipartFormDataContent();
                var audio = new StreamContent(body);
                audio.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(audio, "audio", Path.GetFileName(file));
                using var response = await http.PostAsync(new Uri("api/v1/asr/submit", UriKind.Relative), form, token);
                var text = await response.Content.ReadAsStringAsync(token);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"job {i + 1} of {jobs} was refused: HTTP {(int)response.StatusCode} {text}");
                }

                using var json = JsonDocument.Parse(text);
                submitted.Add(new JobProgress(json.RootElement.GetProperty("task_id").GetString()!, Stopwatch.GetTimestamp(), audioSeconds));
            }

            return new JobLoad(http, submitted, audioSeconds);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Polls until every job ended or <paramref name="stop"/> fires; the window starts now.</summary>
    public async Task<JobReport> TrackAsync(TimeSpan pollEvery, MetricsMonitor? metrics, CancellationToken stop, CancellationToken token)
    {
        await PollAsync(token);
        var start = Stopwatch.GetTimestamp();
        foreach (var j in _jobs)
        {
            j.DoneAtStart = j.Done;
            if (j.Status == "processing")
            {
                (j.RunningSince, j.DoneWhenRunning) = (start, j.Done);
            }
        }

        if (metrics is not null)
        {
            await metrics.StartAsync(token);
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, token);
        while (!_jobs.All(j => j.Ended) && !both.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(pollEvery, both.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                break;
            }

            await PollAsync(token);
        }

        await PollAsync(token);
        var end = Stopwatch.GetTimestamp();
        var gateway = metrics is null ? null : await metrics.StopAsync(token);
        return JobReport.Of("gateway jobs", _jobs, _audioSeconds, start, end, gateway);
    }

    private Task PollAsync(CancellationToken token) => Task.WhenAll(_jobs.Where(j => !j.Ended).Select(j => PollAsync(j, token)));

    private async Task PollAsync(JobProgress job, CancellationToken token)
    {
        using var response = await _http.GetAsync(new Uri($"api/v1/asr/result/{job.Id}", UriKind.Relative), token);
        var now = Stopwatch.GetTimestamp();
        if (!response.IsSuccessStatusCode)
        {
            (job.Status, job.Error, job.FinishedAt) = ("failed", $"HTTP {(int)response.StatusCode} on its result", now);
            return;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(token));
        var root = json.RootElement;
        var status = root.GetProperty("status").GetString()!;
        if (root.TryGetProperty("duration", out var duration) && duration.ValueKind == JsonValueKind.Number)
        {
            job.AudioSeconds = duration.GetDouble();
        }

        job.Done = root.GetProperty("progress").GetDouble() / 100 * job.AudioSeconds;
        if (status == "processing" && job.RunningSince is null)
        {
            (job.RunningSince, job.DoneWhenRunning) = (now, job.Done);
        }

        if (status is "done" or "failed")
        {
            job.FinishedAt = now;
            job.GatewayRtf = root.TryGetProperty("rtf", out var rtf) && rtf.ValueKind == JsonValueKind.Number ? rtf.GetDouble() : null;
            job.Error = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }

        job.Status = status;
    }

    public void Dispose() => _http.Dispose();
}
