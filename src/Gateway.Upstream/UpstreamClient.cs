using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.Pooling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>
/// The FunASR upstream client: configured endpoints, each with a pool of long-lived connections, and the
/// utterance API on top. Create one per process (it is the DI singleton) and share it.
/// </summary>
/// <remarks>Thread-safe. <see cref="StartUtteranceAsync"/> may be called from any number of threads.</remarks>
public sealed class UpstreamClient : IAsyncDisposable
{
    private readonly EndpointPool[] _pools;
    private readonly IEndpointSelectionPolicy _policy;
    private readonly UpstreamMetrics _metrics;
    private readonly UpstreamOptions _options;
    private readonly TimeProvider _time;
    private readonly string _wavNamePrefix;
    private long _utteranceCounter;
    private volatile bool _disposed;

    public UpstreamClient(IOptions<UpstreamOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, loggerFactory, timeProvider, meterFactory)
    {
    }

    public UpstreamClient(UpstreamOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new Configuration.UpstreamOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(UpstreamOptions.SectionName, typeof(UpstreamOptions), validation.Failures);
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new UpstreamMetrics(_time, meterFactory);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Gateway.Upstream");
        _pools = options.Endpoints.Select(e => new EndpointPool(e, options, _metrics, _time, logger)).ToArray();
        _policy = IEndpointSelectionPolicy.Create(options.SelectionPolicy);
        // The instance part keeps wav_names unique across restarts of the gateway against the same servers.
        _wavNamePrefix = $"{options.WavNamePrefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}-";
        _metrics.Meter.CreateObservableGauge("gateway.upstream.pool.in_flight", () => _pools.Sum(p => p.InFlight), description: "Utterances in flight.");
        _metrics.Meter.CreateObservableGauge("gateway.upstream.pool.idle", () => _pools.Sum(p => p.IdleCount), description: "Idle pooled connections.");
        _metrics.Meter.CreateObservableGauge("gateway.upstream.pool.limit", () => _pools.Sum(p => p.Limit), description: "Utterances the endpoints take at once now (MaxConnections unless the adaptive limit is cut).");
        _metrics.Meter.CreateObservableGauge("gateway.upstream.endpoints.healthy", () => _pools.Count(p => p.IsHealthy), description: "Endpoints with a closed or half-open circuit.");
    }

    /// <summary>Readiness: at least one endpoint is healthy (its circuit is not open).</summary>
    public bool IsReady => !_disposed && _pools.Any(p => p.IsHealthy);

    /// <summary>
    /// Completes when <see cref="IsReady"/>: at once while an endpoint's circuit is closed, else when a recovery probe
    /// closes one. Callers holding work through an outage wait on this instead of asking again on a timer.
    /// </summary>
    public async Task WhenReadyAsync(CancellationToken cancellationToken = default)
    {
        while (!IsReady)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await Task.WhenAny(_pools.Select(p => p.WhenHealthy)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The endpoint pools, for tests.</summary>
    internal IReadOnlyList<EndpointPool> Pools => _pools;

    /// <summary>Per-endpoint state, for health pages.</summary>
    public IReadOnlyList<UpstreamEndpointStatus> Endpoints =>
        _pools.Select(p => new UpstreamEndpointStatus(p.Name, p.IsHealthy, p.InFlight, p.IdleCount, p.OpenConnections, p.Limit)).ToArray();

    /// <summary>Counters and the per-phase micro-profile since start.</summary>
    public UpstreamStatistics GetStatistics() => _metrics.Snapshot();

    /// <summary>Opens MinIdle connections per endpoint (2pass ones receive their first config). Failures are logged and count against health.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_pools.Select(p => p.WarmUpAsync(cancellationToken)));

    /// <summary>
    /// Raises every endpoint's MinIdle to at least <paramref name="minIdle"/> (capped at its MaxConnections), so the
    /// sweeper keeps that many from now on, then opens connections up to it.
    /// </summary>
    public Task WarmUpAsync(int minIdle, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minIdle);
        foreach (var p in _pools)
        {
            p.RaiseMinIdle(minIdle);
        }

        return WarmUpAsync(cancellationToken);
    }

    /// <summary>
    /// Leases a connection and starts an utterance with a fresh wav_name. Fails fast with a classified error
    /// (CircuitOpen, QueueFull, QueueTimeout, Connect*, Cancelled) instead of throwing.
    /// <paramref name="cancellationToken"/> stays attached to the utterance: cancelling it later aborts the utterance.
    /// </summary>
    public async ValueTask<UtteranceStart> StartUtteranceAsync(UtteranceRequest? request = null, CancellationToken cancellationToken = default)
    {
        var start = _metrics.Timestamp();
        _metrics.Request();
        if (_disposed)
        {
            _metrics.Failed(UpstreamError.Disposed);
            return new UtteranceStart(null, UpstreamError.Disposed);
        }

        var pool = _policy.Select(_pools);
        if (pool is null)
        {
            _metrics.Failed(UpstreamError.CircuitOpen);
            return new UtteranceStart(null, UpstreamError.CircuitOpen);
        }

        var key = new ConnectionKey(request?.Hotwords);
        var (connection, error) = await pool.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            _metrics.Failed(error);
            return new UtteranceStart(null, error);
        }

        _metrics.Phase(UpstreamPhase.Acquire, start);
        var wavName = _wavNamePrefix + Interlocked.Increment(ref _utteranceCounter).ToString(CultureInfo.InvariantCulture);
        var utterance = new UpstreamUtterance(pool, connection, pool.ConfigFor(key), wavName, _metrics, _options, _time, start, cancellationToken);
        error = await utterance.StartAsync().ConfigureAwait(false);
        if (error != UpstreamError.None)
        {
            await utterance.DisposeAsync().ConfigureAwait(false);
            return new UtteranceStart(null, error);
        }

        return new UtteranceStart(utterance, UpstreamError.None);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var p in _pools)
        {
            await p.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
    }
}
