namespace Gateway.Core.Auth;

/// <summary>
/// What a streaming session needs to know about its caller: the room a grant limits it to (the session refuses to
/// start anywhere else) and the token that ends it when the caller's key is revoked. Set by the auth middleware
/// (or the start-message check) as a request feature; <see cref="Claimed"/> says a session listens on
/// <see cref="Revoked"/>, so the middleware does not have to abort the connection itself.
/// </summary>
public sealed class SessionAccess
{
    public SessionAccess(Caller caller, CancellationToken revoked)
    {
        Caller = caller;
        Revoked = revoked;
    }

    public Caller Caller { get; }

    public CancellationToken Revoked { get; }

    public string? Room => Caller.Room;

    public bool Claimed { get; private set; }

    /// <summary>A session takes over ending the connection on revocation.</summary>
    public CancellationToken Claim()
    {
        Claimed = true;
        return Revoked;
    }
}
