namespace Gateway.Core.Admission;

/// <summary>
/// One admitted session's slot. Disposing it (or <see cref="Release"/>) frees the slot exactly once,
/// whatever path the session leaves by.
/// </summary>
public sealed class AdmissionLease : IDisposable
{
    private readonly ClientManager _owner;
    private int _released;
    private FleetSlot? _fleetSlot;

    internal AdmissionLease(ClientManager owner, long id, DateTimeOffset admittedAt, DateTimeOffset expiresAt)
    {
        _owner = owner;
        Id = id;
        AdmittedAt = admittedAt;
        ExpiresAt = expiresAt;
    }

    public long Id { get; }

    public DateTimeOffset AdmittedAt { get; }

    /// <summary>When the max connection time ends this session.</summary>
    public DateTimeOffset ExpiresAt { get; }

    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>The session's fleet-wide slot (Admission:Scope=Fleet), given back with the lease.</summary>
    internal FleetSlot? FleetSlot
    {
        get => Volatile.Read(ref _fleetSlot);
        set => Volatile.Write(ref _fleetSlot, value);
    }

    /// <summary>Cancelled when the gateway begins shutting down (<see cref="ClientManager.ShutdownRequested"/>).</summary>
    public CancellationToken ShutdownRequested => _owner.ShutdownRequested;

    /// <summary>Frees the slot and records why the session ended. Later calls do nothing.</summary>
    public void Release(DisconnectReason reason)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Return(this, reason);
        }
    }

    public void Dispose() => Release(DisconnectReason.ClientClosed);
}
