namespace Gateway.Core.Auth;

/// <summary>
/// One live connection counted against its key: a concurrent-session slot, its connection time (stream minutes) and
/// its revocation registration. Disposing it gives all three back, once.
/// </summary>
public sealed class OpenSession : IDisposable
{
    private readonly KeyUsage _usage;
    private readonly Quotas _quotas;
    private readonly KeyRevocations.Registration _registration;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _closed;

    internal OpenSession(Caller caller, KeyUsage usage, Quotas quotas, KeyRevocations.Registration registration, TimeProvider time)
    {
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
            _usage.CloseSession(_quotas.Today, _time.GetElapsedTime(_started));
        }
    }
}
