using System.Collections.Concurrent;
using Gateway.Core.Diagnostics;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Admission;

/// <summary>
/// Admission control shared by every endpoint: at most <see cref="AdmissionOptions.MaxClients"/> sessions, in this
/// process and, with <see cref="AdmissionScope.Fleet"/>, across the fleet (<see cref="FleetSlots"/>).
/// </summary>
/// <remarks>
/// Race-free: a slot is reserved with one atomic increment before any per-session setup, and given back on
/// every exit path through <see cref="AdmissionLease.Release"/>, so N simultaneous connects never exceed the
/// limit (the reference WhisperLive server checks, then adds the client after model load, and overshoots).
/// Thread-safe.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The shutdown source has no timer or link to release, and sessions may read its token until the very end.")]
public sealed class ClientManager
{
    private readonly AdmissionOptions _options;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ConcurrentDictionary<long, AdmissionLease> _active = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly FleetSlots? _fleet;
    private readonly FleetScope? _fleetScope;
    private int _count;
    private long _nextId;

    /// <param name="fleet">Fleet-wide slots; used when <see cref="FleetSlots.Enabled"/> (Admission:Scope=Fleet).</param>
    public ClientManager(IOptions<AdmissionOptions> options, TimeProvider time, GatewayMetrics metrics, FleetSlots? fleet = null)
    {
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        if (fleet is { Enabled: true })
        {
            _fleet = fleet;
            _fleetScope = fleet.Scope(FleetSlots.Clients, EarliestExpiry);
        }

        metrics.ObserveActiveSessions(() => Volatile.Read(ref _count));
    }

    public AdmissionOptions Options => _options;

    /// <summary>Sessions holding a slot now.</summary>
    public int ActiveCount => Volatile.Read(ref _count);

    /// <summary>True once <see cref="BeginShutdown"/> was called: nothing more is admitted.</summary>
    public bool IsShuttingDown => _shutdown.IsCancellationRequested;

    /// <summary>
    /// Cancelled when the gateway begins shutting down. Every session registers on it (through its lease) to
    /// deliver the results of the audio it took, say <c>server_shutdown</c> and close.
    /// </summary>
    public CancellationToken ShutdownRequested => _shutdown.Token;

    /// <summary>Stops admitting and asks every session to finish (the host calls it when the application stops). Idempotent.</summary>
    public void BeginShutdown()
    {
        lock (_shutdown)
        {
            if (!_shutdown.IsCancellationRequested)
            {
                _shutdown.Cancel();
            }
        }
    }

    /// <summary>
    /// Reserves a slot, or reports when one is expected to free up (or that none will: shutting down). With the Fleet
    /// scope the slot is also taken in Redis (one round trip) and the estimate is the fleet's; Redis unavailable, the
    /// gateway admits up to its own <see cref="AdmissionOptions.MaxClients"/> (docs/scale-out.md §6).
    /// </summary>
    public async ValueTask<AdmissionResult> TryAdmitAsync()
    {
        var local = TryAdmit();
        if (_fleet is null || local.Lease is not { } lease)
        {
            return local;
        }

        var fleet = await _fleet.TryAcquireAsync(_fleetScope!, _options.MaxClients, lease.ExpiresAt);
        if (!fleet.Acquired)
        {
            _active.TryRemove(lease.Id, out _);
            Interlocked.Decrement(ref _count);
            _metrics.Rejected("fleet_full");
            return new AdmissionResult(null, fleet.EstimatedWait, _options.MaxClients);
        }

        lease.FleetSlot = fleet.Slot;
        if (lease.IsReleased)
        {
            fleet.Slot!.Dispose(); // released while Redis answered
        }

        return local;
    }

    /// <summary>
    /// The local half of <see cref="TryAdmitAsync"/>: this process's slot only, whatever the scope. Endpoints call
    /// <see cref="TryAdmitAsync"/>.
    /// </summary>
    public AdmissionResult TryAdmit()
    {
        if (IsShuttingDown)
        {
            _metrics.Rejected("shutdown");
            return new AdmissionResult(null, TimeSpan.Zero, _options.MaxClients, ShuttingDown: true);
        }

        if (Interlocked.Increment(ref _count) > _options.MaxClients)
        {
            Interlocked.Decrement(ref _count);
            _metrics.Rejected("full");
            return new AdmissionResult(null, EstimatedWait(), _options.MaxClients);
        }

        var now = _time.GetUtcNow();
        var lease = new AdmissionLease(this, Interlocked.Increment(ref _nextId), now, now + _options.MaxConnectionTime);
        _active[lease.Id] = lease;
        _metrics.Admitted();
        return new AdmissionResult(lease, TimeSpan.Zero, _options.MaxClients);
    }

    /// <summary>
    /// Time until the earliest current session reaches its max connection time (never negative): the soonest
    /// a slot is certain to free up. Zero when a slot is free.
    /// </summary>
    public TimeSpan EstimatedWait()
    {
        if (EarliestExpiry() is not { } earliest)
        {
            return TimeSpan.Zero;
        }

        var wait = earliest - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>When the earliest current session reaches its max connection time, or null when none is open.</summary>
    public DateTimeOffset? EarliestExpiry()
    {
        // O(active) scan, only on rejection and on the fleet heartbeat: cheaper overall than keeping a heap ordered on every admit.
        var earliest = DateTimeOffset.MaxValue;
        foreach (var lease in _active.Values)
        {
            if (lease.ExpiresAt < earliest)
            {
                earliest = lease.ExpiresAt;
            }
        }

        return earliest == DateTimeOffset.MaxValue ? null : earliest;
    }

    internal void Return(AdmissionLease lease, DisconnectReason reason)
    {
        // Counted before the slot is seen free: whoever watches ActiveCount drop finds the disconnect already recorded.
        _metrics.Disconnected(reason);
        _active.TryRemove(lease.Id, out _);
        Interlocked.Decrement(ref _count);
        lease.FleetSlot?.Dispose();
    }
}
