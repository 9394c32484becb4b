using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.Protocol;
using Gateway.Upstream.WebSockets;
using Microsoft.Extensions.Logging;

namespace Gateway.Upstream.Pooling;

/// <summary>
/// The connections of one FunASR endpoint: opened on demand up to MaxConnections, MinIdle kept warm, at most one
/// utterance in flight on each. A slot semaphore bounds leases (waiters queue with a deadline); idle connections are
/// kept LIFO per <see cref="ConnectionKey"/>, for at most MaxHotwordSets hotword sets. An open circuit is probed with
/// backoff until the server answers again. Thread-safe.
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
    private readonly FunAsrConfigMessages _defaultConfig;
    private readonly Dictionary<HotwordSet, HotwordEntry> _hotwordSets = []; // guarded by _lock
    private readonly UpstreamEndpointOptions _endpoint;
    private readonly ITimer _sweeper;
    private readonly ITimer _recoveryProbe;
    private TimeSpan _probeDelay;
    private int _probing;
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
        Flavour = FunAsrFlavours.TryParse(endpoint.Flavour, out var flavour) ? flavour : FunAsrFlavour.TwoPass;
        MaxConnections = endpoint.MaxConnections;
        _minIdle = endpoint.MinIdle;
        _slots = new SemaphoreSlim(MaxConnections, MaxConnections);
        _breaker = new CircuitBreaker(options.BreakerFailureThreshold);
        var adaptive = options.AdaptiveLimit;
        _limit = adaptive.Enabled ? new AdaptiveLimit(MaxConnections, adaptive.LatencyThreshold, adaptive.BackoffRatio, time) : null;
        var trust = new TlsTrust(endpoint.Tls.PinnedThumbprint, endpoint.Tls.AcceptAnyCertificate);
        if (Uri.Scheme == "wss" && trust.AcceptAnyCertificate && !trust.HasPin)
        {
            Log.AcceptAnyCertificate(logger, Name);
        }

        _socketOptions = new WebSocketClientOptions { MaxMessageBytes = options.MaxMessageBytes, Tls = trust };
        _defaultConfig = CreateConfig(null);
        var period = TimeSpan.FromTicks(Math.Clamp(options.IdleEvictAfter.Ticks / 2, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        _sweeper = time.CreateTimer(static s => ((EndpointPool)s!).Sweep(), this, period, period);
        _recoveryProbe = time.CreateTimer(static s => _ = ((EndpointPool)s!).ProbeRecoveryAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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

    /// <summary>Hotword sets this endpoint currently knows (at most MaxHotwordSets plus those of leased connections).</summary>
    public int HotwordSetCount
    {
        get
        {
            lock (_lock)
            {
                return _hotwordSets.Count;
            }
        }
    }

    /// <summary>Distinct hotword sets among the idle connections (at most MaxHotwordSets).</summary>
    public int IdleHotwordSetCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Where(c => c.Key.Hotwords is not null).Select(c => c.Key).Distinct().Count();
            }
        }
    }

    public FunAsrConfigMessages ConfigFor(ConnectionKey key)
    {
        if (key.Hotwords is null)
        {
            return _defaultConfig;
        }

        lock (_lock)
        {
            if (!_hotwordSets.TryGetValue(key.Hotwords, out var entry))
            {
                if (_hotwordSets.Count >= _options.MaxHotwordSets)
                {
                    ForgetLeastRecentSetWithoutIdle();
                }

                entry = new HotwordEntry(CreateConfig(key.Hotwords), _time.GetTimestamp());
                _hotwordSets[key.Hotwords] = entry;
            }

            entry.LastUsedTimestamp = _time.GetTimestamp();
            return entry.Config;
        }
    }

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
            Log.CircuitOpened(_logger, Name, error, _options.RecoveryProbeInitialDelay);
            StartRecoveryProbe();
        }
    }

    /// <summary>Completes when this endpoint's circuit is closed (at once unless it is open).</summary>
    public Task WhenHealthy => _breaker.Closed;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await _recoveryProbe.DisposeAsync().ConfigureAwait(false);
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

    private FunAsrConfigMessages CreateConfig(HotwordSet? hotwords) =>
        new(Flavour, _endpoint.Mode, ChunkSize.From([.. _endpoint.ChunkSize]), _endpoint.ChunkInterval, _endpoint.Itn, hotwords);
}
