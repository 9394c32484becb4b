using System.Diagnostics;

namespace Gateway.Load.Metrics;

/// <summary>
/// Scrapes the gateway's <c>/metrics</c> at the start, every <c>interval</c> (for peaks) and at the end of a run.
/// </summary>
internal sealed class MetricsMonitor : IAsyncDisposable
{
    private const string Prefix = "gateway_";
    private readonly HttpClient _http;
    private readonly TimeSpan _interval;
    private readonly int _cores;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<MetricsSample> _samples = [];
    private Task? _loop;

    public MetricsMonitor(Uri gateway, TimeSpan interval, int cores)
    {
        _http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        _interval = interval;
        _cores = cores;
    }

    public async Task StartAsync(CancellationToken token)
    {
        _samples.Add(await MetricsSample.ScrapeAsync(_http, token));
        _loop = LoopAsync();
    }

    public Task<MetricsSample> ScrapeAsync(CancellationToken token) => MetricsSample.ScrapeAsync(_http, token);

    /// <summary>Takes the last scrape and summarises the run.</summary>
    public async Task<GatewayReport> StopAsync(CancellationToken token)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _samples.Add(await MetricsSample.ScrapeAsync(_http, token));
        return Summarise(_samples, _cores);
    }

    private const string LeaseHistogram = "upstream_pool_lease_duration_milliseconds";

    public static GatewayReport Summarise(IReadOnlyList<MetricsSample> samples, int cores)
    {
        var first = samples[0];
        var last = samples[^1];
        var wall = Stopwatch.GetElapsedTime(first.TakenAt, last.TakenAt).TotalSeconds;
        double Delta(string name) => last.Get(Prefix + name) - first.Get(Prefix + name);
        double Peak(string name) => samples.Max(s => s.Get(Prefix + name));
        double? Ms(double? seconds) => seconds * 1000;
        var cpu = Delta("process_cpu_seconds_total");
        return new GatewayReport
        {
            WallSeconds = wall,
            CpuCoresUsed = wall > 0 ? cpu / wall : 0,
            CpuPercentOfMachine = wall > 0 ? 100 * cpu / wall / cores : 0,
            WorkingSetStartMb = first.Get(Prefix + "process_working_set_bytes") / 1e6,
            WorkingSetPeakMb = Peak("process_working_set_bytes") / 1e6,
            ManagedHeapStartMb = first.Get(Prefix + "process_managed_heap_bytes") / 1e6,
            ManagedHeapPeakMb = Peak("process_managed_heap_bytes") / 1e6,
            UpstreamConnects = Delta("upstream_pool_connects_total"),
            UpstreamReuse = Delta("upstream_pool_reuse_total"),
            UpstreamDiscards = Delta("upstream_pool_discards_total"),
            UpstreamFailed = Delta("upstream_failed_total"),
            PeakUpstreamInFlight = Peak("upstream_pool_in_flight"),
            PeakUpstreamIdle = Peak("upstream_pool_idle"),
            LeaseHoldMeanMs = HistogramDelta.Mean(first, last, Prefix + LeaseHistogram),
            LeaseHoldP99Ms = HistogramDelta.Quantile(first, last, Prefix + LeaseHistogram, 0.99),
            MeanConnectionsHeld = wall > 0 && HistogramDelta.Count(first, last, Prefix + LeaseHistogram) > 0
                ? Delta(LeaseHistogram + "_sum") / 1000 / wall
                : null,
            PeakActiveSessions = Peak("admission_active"),
            Segments = Delta("dispatch_segments_total"),
            Replays = Delta("dispatch_replays_total"),
            SessionErrors = Delta("session_errors_total"),
            VadWindowsLost = Delta("vad_windows_lost_total"),
            RoomDroppedViewers = Delta("rooms_dropped_viewers_total"),
            RoomFanOutMessages = Delta("rooms_fanout_messages_total"),
            RoomCaptionLatencyP99Ms = HistogramDelta.Quantile(first, last, Prefix + "rooms_caption_latency_milliseconds", 0.99),
            FinalLatencyP50Ms = Ms(HistogramDelta.Quantile(first, last, Prefix + "dispatch_final_latency_seconds", 0.50)),
            FinalLatencyP99Ms = Ms(HistogramDelta.Quantile(first, last, Prefix + "dispatch_final_latency_seconds", 0.99)),
            LeaseWaitP99Ms = Ms(HistogramDelta.Quantile(first, last, Prefix + "dispatch_lease_wait_seconds", 0.99)),
            LeaseWaitMeanMs = Ms(HistogramDelta.Mean(first, last, Prefix + "dispatch_lease_wait_seconds")),
            VadTickP99Ms = HistogramDelta.Quantile(first, last, Prefix + "vad_tick_duration_milliseconds", 0.99),
            VadTickMeanMs = HistogramDelta.Mean(first, last, Prefix + "vad_tick_duration_milliseconds"),
            VadLagP99Ms = HistogramDelta.Quantile(first, last, Prefix + "vad_lag_milliseconds", 0.99),
            VadLagMeanMs = HistogramDelta.Mean(first, last, Prefix + "vad_lag_milliseconds"),
            VadBatchMean = HistogramDelta.Mean(first, last, Prefix + "vad_batch_size"),
        };
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    _samples.Add(await MetricsSample.ScrapeAsync(_http, _stop.Token));
                }
                catch (HttpRequestException)
                {
                    // a missed scrape only loses a peak sample; the run goes on
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        _http.Dispose();
    }
}
