namespace Gateway.Core.Auth;

/// <summary>
/// One live connection counted against its key: a concurrent-session slot, its connection time (stream minutes), its
/// revocation registration and, with Admission:Scope=Fleet and a MaxSessions limit, its fleet-wide slot. Disposing it gives them back, once.
/// </summary>
public sealed class OpenSession : IDisposable
{
    private readonly KeyUsage _usage;
    private readonly Quotas _quotas;
    private readonly KeyRevocations.Registration _registration;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly Admission.FleetSlot? _fleetSlot;
    private int _closed;

    internal OpenSession(Caller caller, KeyUsage usage, Quotas quotas, KeyRevocations.Registration registration, TimeProvider time, Admission.FleetSlot? fleetSlot)
    {
        _fleetSlot = fleetSlot;
        _usage = usage;
        _quotas = quotas;
        _registration = registration;
        _time = time;
        _started = time.GetTimestamp();
        Access = new SessionAccess(caller, registration.Revoked);
    }

    /// <summary>What the session learns about its caller (room, revocation).</summary>
    public SessionAccess Access { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _registration.Dispose();
            _fleetSlot?.Dispose();
            _usage.CloseSession(_quotas.Today, _time.GetElapsedTime(_started));
        }
    }
}
