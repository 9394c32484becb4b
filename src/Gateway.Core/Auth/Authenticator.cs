using Gateway.Core.Admission;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

/// <summary>
/// The decisions behind <see cref="AuthMiddleware"/>, also used after an upgrade when a native client sends its
/// credential in the <c>start</c> message: who the credential belongs to, whether it may use a scope and a room,
/// and whether its key's quotas let it open one more session or job. Thread-safe singleton.
/// </summary>
public sealed class Authenticator
{
    private readonly ApiKeys _keys;
    private readonly GrantTokens _grants;
    private readonly Quotas _quotas;
    private readonly KeyRevocations _revocations;
    private readonly TimeProvider _time;

    private readonly FleetSlots? _fleet;

    /// <param name="fleet">Fleet-wide slots: with Admission:Scope=Fleet a key's MaxSessions holds across the fleet.</param>
    public Authenticator(ApiKeys keys, GrantTokens grants, Quotas quotas, KeyRevocations revocations, TimeProvider time, FleetSlots? fleet = null)
    {
        _fleet = fleet is { Enabled: true } ? fleet : null;
        _keys = keys;
        _grants = grants;
        _quotas = quotas;
        _revocations = revocations;
        _time = time;
    }

    public const string MissingCredential =
        "a key or grant is required: Authorization: Token KEY (or Bearer), the token WebSocket subprotocol, ?token=, or (browser pages on /v1/stream) the native start message's \"token\"";

    /// <summary>The caller a credential stands for, or the 401 refusal (one message for every invalid key).</summary>
    public Caller? Authenticate(string? credential, out AuthRefusal? refusal)
    {
        var caller = Verify(credential, out var problem);
        refusal = caller is null ? new AuthRefusal(StatusCodes.Status401Unauthorized, "INVALID_AUTH", problem) : null;
        return caller;
    }

    /// <summary>403 when the caller lacks <paramref name="scope"/> (counted as a refusal of its key), else null.</summary>
    public AuthRefusal? CheckScope(Caller caller, string scope)
    {
        if (scope == Scopes.AnyCaller || caller.Has(scope))
        {
            return null;
        }

        _quotas.For(caller.KeyName).Refused();
        return new AuthRefusal(StatusCodes.Status403Forbidden, "INSUFFICIENT_PERMISSIONS", $"{(caller.ViaGrant ? "this grant" : $"key \"{caller.KeyName}\"")} lacks the \"{scope}\" scope");
    }

    /// <summary>403 when a room grant is used for another room (or for something that is not its room's).</summary>
    public AuthRefusal? CheckRoom(Caller caller, string? room)
    {
        if (caller.Room is null || string.Equals(caller.Room, room, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        _quotas.For(caller.KeyName).Refused();
        return new AuthRefusal(StatusCodes.Status403Forbidden, "INSUFFICIENT_PERMISSIONS", $"this grant is limited to room \"{caller.Room}\"");
    }

    /// <summary>
    /// Counts a live connection against its key (stream minutes, concurrent sessions), or the 429 refusal. With
    /// Admission:Scope=Fleet a key's <c>MaxSessions</c> is also taken fleet-wide (one Redis round trip).
    /// </summary>
    public async ValueTask<(OpenSession? Session, AuthRefusal? Refusal)> TryOpenSessionAsync(Caller caller)
    {
        var key = _keys.Find(caller.KeyName);
        var usage = _quotas.For(caller.KeyName);
        AuthRefusal? refusal = null;
        FleetSlot? fleetSlot = null;
        if (key is null)
        {
            refusal = new AuthRefusal(StatusCodes.Status401Unauthorized, "INVALID_AUTH", "the key was revoked");
        }
        else if (key.StreamMinutesPerDay > 0 && usage.StreamMinutes(_quotas.Today) >= key.StreamMinutesPerDay)
        {
            refusal = new AuthRefusal(StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" used its {key.StreamMinutesPerDay} stream minutes for today", _quotas.UntilReset);
        }
        else if (!usage.TryOpenSession(key.MaxSessions))
        {
            refusal = TooManySessions(key);
        }
        else if (_fleet is not null && key.MaxSessions > 0)
        {
            var fleet = await _fleet.TryAcquireAsync(_fleet.Scope(SessionsScope(key.Name)), key.MaxSessions, _time.GetUtcNow());
            fleetSlot = fleet.Slot;
            if (!fleet.Acquired)
            {
                usage.CloseSession(_quotas.Today, TimeSpan.Zero);
                refusal = TooManySessions(key, " across the fleet");
            }
        }

        if (refusal is not null)
        {
            usage.Refused();
            return (null, refusal);
        }

        // Registered after the slot: a revocation between Find and here still reaches this session (its token is
        // cancelled at once when the key is already gone).
        var session = new OpenSession(caller, usage, _quotas, _revocations.Register(caller.KeyName), _time, fleetSlot);
        if (_keys.Find(caller.KeyName) is null)
        {
            session.Dispose();
            return (null, new AuthRefusal(StatusCodes.Status401Unauthorized, "INVALID_AUTH", "the key was revoked"));
        }

        return (session, null);
    }

    /// <summary>The fleet scope of a key's concurrent sessions.</summary>
    public static string SessionsScope(string keyName) => $"key:{keyName}:sessions";

    /// <summary>The fleet scope of a key's running ingests.</summary>
    public static string IngestsScope(string keyName) => $"key:{keyName}:ingests";

    private static AuthRefusal TooManySessions(AuthKeyOptions key, string where = "") =>
        new(StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" has its {key.MaxSessions} concurrent sessions open{where}", TimeSpan.FromSeconds(5));

    /// <summary>Takes one of the key's jobs for this hour, or the 429 refusal (retry when the oldest leaves the hour).</summary>
    public AuthRefusal? TryStartJob(Caller caller)
    {
        var key = _keys.Find(caller.KeyName);
        var usage = _quotas.For(caller.KeyName);
        if (key is null || usage.TryStartJob(key.JobsPerHour, _time.GetUtcNow(), out var retry))
        {
            return null;
        }

        usage.Refused();
        return new AuthRefusal(StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" submitted its {key.JobsPerHour} jobs in the last hour", retry);
    }

    /// <summary>Gives back the job taken by <see cref="TryStartJob"/> when the request did not create one.</summary>
    public void JobNotCreated(Caller caller) => _quotas.For(caller.KeyName).JobNotCreated();

    private Caller? Verify(string? credential, out string problem)
    {
        if (credential is null)
        {
            problem = MissingCredential;
            return null;
        }

        if (credential.StartsWith(GrantTokens.Prefix, StringComparison.Ordinal))
        {
            var granted = _grants.Verify(credential, out var grantProblem);
            if (granted is null)
            {
                problem = grantProblem!;
                return null;
            }

            if (_keys.Find(granted.KeyName) is null)
            {
                problem = "the key that issued this grant no longer exists";
                return null;
            }

            problem = "";
            return granted;
        }

        var key = _keys.Verify(credential);
        problem = key is null ? (_keys.Count == 0 ? "authentication is on and no keys are configured (Auth:Keys; docs/security.md)" : "invalid credentials") : "";
        return key is null ? null : new Caller(key.Name, key.Scopes.ToHashSet(StringComparer.Ordinal), ViaGrant: false);
    }
}
