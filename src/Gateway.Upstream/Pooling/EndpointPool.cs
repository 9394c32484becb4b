using System.Collections.Concurrent;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.Protocol;
using Gateway.Upstream.WebSockets;
using Microsoft.Extensions.Logging;

namespace Gateway.Upstream.Pooling;

/// <summary>
/// The connections of one FunASR endpoint: at most MaxConnections open, at most one utterance in flight on each.
/// A slot semaphore bounds leases (waiters queue with a deadline); idle connections are kept LIFO per
/// <see cref="ConnectionKey"/>. Thread-safe.
/// </summary>
internal sealed partial class EndpointPool : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly List<PooledConnection> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly CircuitBreaker _breaker;
    private readonly UpstreamOptions _options;
    private readonly UpstreamMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WebSocketClientOptions _socketOptions;
    private readonly FunAsrConfig _defaultConfig;
    private readonly ConcurrentDictionary<HotwordSet, FunAsrConfig> _hotwordConfigs = new();
    private readonly UpstreamEndpointOptions _endpoint;
    private readonly ITimer _sweeper;
    private int _total;
    private int _inFlight;
    private int _waiting;
    private int _minIdle;
    private volatile bool _disposed;

    public EndpointPool(UpstreamEndpointOptions endpoint, UpstreamOptions options, UpstreamMetrics metrics, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Uri = new Uri(endpoint.Url);
        Name = endpoint.Name ?? Uri.Authority;
        Flavour = endpoint.Flavour switch
        {
            UpstreamFlavours.Offline => FunAsrFlavour.Offline,
            UpstreamFlavours.Python => FunAsrFlavour.Python,
            _ => FunAsrFlavour.TwoPass,
        };
        MaxConnections = endpoint.MaxConnections;
        _minIdle = endpoint.MinIdle;
        _slots = new SemaphoreSlim(MaxConnections, MaxConnections);
        _breaker = new CircuitBreaker(time, options.BreakerFailureThreshold, options.BreakerOpenDuration);
        var trust = new TlsTrust(endpoint.Tls.PinnedThumbprint, endpoint.Tls.AcceptAnyCertificate);
        if (Uri.Scheme == "wss" && trust.AcceptAnyCertificate && !trust.HasPin)
        {
            Log.AcceptAnyCertificate(logger, Name);
        }

        _socketOptions = new WebSocketClientOptions { MaxMessageBytes = options.MaxMessageBytes, Tls = trust };
        _defaultConfig = CreateConfig(null);
        var period = TimeSpan.FromTicks(Math.Clamp(options.IdleEvictAfter.Ticks / 2, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        _sweeper = time.CreateTimer(static s => ((EndpointPool)s!).Sweep(), this, period, period);
    }

    public string Name { get; }

    public Uri Uri { get; }

    public FunAsrFlavour Flavour { get; }

    public int MaxConnections { get; }

    /// <summary>Idle connections kept open; only <see cref="RaiseMinIdle"/> changes it after construction.</summary>
    public int MinIdle => Volatile.Read(ref _minIdle);

    public bool IsHealthy => !_disposed && _breaker.IsHealthy;

    /// <summary>Utterances in flight plus waiters: what load-aware selection compares.</summary>
    public int Load => Volatile.Read(ref _inFlight) + Volatile.Read(ref _waiting);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    public int OpenConnections => Volatile.Read(ref _total);

    public FunAsrConfig ConfigFor(ConnectionKey key) =>
        key.Hotwords is null ? _defaultConfig : _hotwordConfigs.GetOrAdd(key.Hotwords, CreateConfig);

    /// <summary>The utterance reached its terminal message: evidence the endpoint is healthy.</summary>
    public void ReportSuccess()
    {
        if (_breaker.Success())
        {
            Log.CircuitClosed(_logger, Name);
        }
    }

    /// <summary>A failure the upstream is to blame for.</summary>
    public void ReportFailure(UpstreamError error)
    {
        if (_breaker.Failure())
        {
            Log.CircuitOpened(_logger, Name, error, _options.BreakerOpenDuration);
        }
    }

    public void ReportNeutral() => _breaker.Neutral();

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        PooledConnection[] idle;
        lock (_lock)
        {
            idle = [.. _idle];
            _idle.Clear();
            Interlocked.Add(ref _total, -idle.Length);
        }

        foreach (var c in idle)
        {
            await c.Socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    private FunAsrConfig CreateConfig(HotwordSet? hotwords) =>
        new(Flavour, _endpoint.Mode, ChunkSize.From([.. _endpoint.ChunkSize]), _endpoint.ChunkInterval, _endpoint.Itn, hotwords);
}
