using System.Diagnostics.Metrics;
using Gateway.Core.Admission;
using Gateway.Core.Diagnostics;
using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Gateway.Core.Rooms;
using Gateway.Upstream;
using Microsoft.Extensions.Hosting;

namespace Gateway.Core.Dashboard;

/// <summary>
/// Samples the gateway once a second into a small ring (the last <see cref="Capacity"/> seconds) for the dashboard.
/// It reads what already exists: the process's CPU and memory, the admission count, the rooms, the job store's
/// counts, the upstream pools' status, and — through a <see cref="MeterListener"/> on this host's
/// <see cref="GatewayMetrics"/> meter — the final latencies, accepted audio and errors (events per segment or per
/// session, never per frame).
/// </summary>
public sealed class DashboardSampler : BackgroundService
{
    public const int Capacity = 300;
    public const int ErrorCapacity = 20;
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LatencyWindow = TimeSpan.FromSeconds(30);

    private readonly GatewayMetrics _metrics;
    private readonly ClientManager _clients;
    private readonly RoomRegistry _rooms;
    private readonly JobService _jobs;
    private readonly UpstreamClient _upstream;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Queue<DashboardSample> _samples = new(Capacity);
    private readonly Queue<DashboardError> _errors = new(ErrorCapacity);
    private readonly Queue<(long At, double Ms)> _latencies = new();
    private long _liveSamples;
    private TimeSpan _lastCpu;
    private long _lastAt;
    private double _lastAudioSeconds;
    private QueueCounts _lastCounts = new(0, 0, 0, 0, 0);

    public DashboardSampler(GatewayMetrics metrics, ClientManager clients, RoomRegistry rooms, JobService jobs, UpstreamClient upstream, TimeProvider time)
    {
        _metrics = metrics;
        _clients = clients;
        _rooms = rooms;
        _jobs = jobs;
        _upstream = upstream;
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _metrics.Meter && instrument.Name is "gateway.dispatch.final_latency" or "gateway.audio.samples" or "gateway.session.errors" or "gateway.dispatch.segments")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => OnLatency(seconds));
        _listener.SetMeasurementEventCallback<long>(OnCount);
    }

    /// <summary>The ring, oldest first.</summary>
    public IReadOnlyList<DashboardSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>The last errors, newest first.</summary>
    public IReadOnlyList<DashboardError> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors.Reverse()];
            }
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastAt = _time.GetTimestamp();
        _lastAudioSeconds = AudioSeconds();
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SampleAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>
    /// Takes one sample now (the timer's tick; tests call it too). While the job store is unreachable (Redis down) the
    /// sample repeats the last queue counts it read: the rest of the dashboard stays live, and a store outage never
    /// ends this service (an exception out of a background service stops the host).
    /// </summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        QueueCounts counts;
        try
        {
            counts = _lastCounts = await _jobs.Store.CountsAsync(cancellationToken);
        }
        catch (JobStoreUnavailableException)
        {
            counts = _lastCounts; // the job worker and /readyz report the outage
        }

        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastAt, now);
        var cpu = Environment.CpuUsage.TotalTime;
        var audio = AudioSeconds();
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        var cpuPercent = Math.Clamp((cpu - _lastCpu).TotalSeconds / seconds / Environment.ProcessorCount * 100, 0, 100);
        var throughput = (audio - _lastAudioSeconds) / seconds;
        (_lastAt, _lastCpu, _lastAudioSeconds) = (now, cpu, audio);

        var upstream = _upstream.Endpoints.Select(e => new DashboardUpstream(e.Name, e.Healthy, e.InFlight, e.Idle)).ToList();
        lock (_lock)
        {
            var horizon = now - (long)(LatencyWindow.TotalSeconds * _time.TimestampFrequency);
            while (_latencies.TryPeek(out var oldest) && oldest.At < horizon)
            {
                _latencies.Dequeue();
            }

            var sorted = _latencies.Select(l => l.Ms).Order().ToArray();
            if (_samples.Count == Capacity)
            {
                _samples.Dequeue();
            }

            _samples.Enqueue(new DashboardSample(
                _time.GetUtcNow(),
                Math.Round(cpuPercent, 1),
                Environment.WorkingSet,
                GC.GetGCMemoryInfo().HeapSizeBytes,
                _clients.ActiveCount,
                _rooms.Rooms.Count,
                counts.Queued,
                counts.Processing,
                upstream,
                Percentile(sorted, 0.50),
                Percentile(sorted, 0.99),
                Math.Round(throughput, 3)));
        }
    }

    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 1);

    /// <summary>Accepted live audio (reported per session) plus the jobs' audio whose finals arrived; both only grow.</summary>
    private double AudioSeconds() => Interlocked.Read(ref _liveSamples) / 16_000.0 + _jobs.Activity.AudioDone.TotalSeconds;

    private void OnLatency(double seconds)
    {
        lock (_lock)
        {
            _latencies.Enqueue((_time.GetTimestamp(), seconds * 1000));
        }
    }

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "gateway.audio.samples":
                Interlocked.Add(ref _liveSamples, value);
                break;
            case "gateway.session.errors":
                AddError(Tag(tags, "code") ?? "error");
                break;
            case "gateway.dispatch.segments" when Tag(tags, "outcome") == "failed":
                AddError("segment_failed");
                break;
        }
    }

    private void AddError(string code)
    {
        lock (_lock)
        {
            if (_errors.Count == ErrorCapacity)
            {
                _errors.Dequeue();
            }

            _errors.Enqueue(new DashboardError(_time.GetUtcNow(), code));
        }
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
