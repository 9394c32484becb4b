using System.Collections.Concurrent;
using Gateway.Core.Diagnostics;
using Gateway.Core.Instance;
using Gateway.Core.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Core.Admission;

/// <summary>
/// Fleet-wide admission (<see cref="AdmissionScope.Fleet"/>, docs/scale-out.md §6): <c>MaxClients</c> and each key's
/// concurrent quotas held across every gateway on one Redis. A slot is taken with one script
/// (<see cref="FleetScripts.Acquire"/>: forget dead gateways, count, add) in one round trip at admission, given back
/// when the session ends, and kept alive by this gateway's heartbeat (<see cref="RenewAsync"/>, every third of
/// <c>Redis:InstanceLease</c>): a gateway that dies stops renewing, and its slots are forgotten by the first
/// admission after its lease lapsed. Nothing on the frame path touches Redis.
/// </summary>
/// <remarks>
/// Redis unavailable: admission degrades to each gateway's own limit (the same numbers, per process), logged once
/// per outage and reported by <c>/readyz</c>; the heartbeat writes each gateway's true counts again when Redis is back.
/// Thread-safe singleton.
/// </remarks>
public sealed partial class FleetSlots
{
    /// <summary>The scope of <see cref="AdmissionOptions.MaxClients"/>.</summary>
    public const string Clients = "clients";

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _instance;
    private readonly string _instancePrefix;
    private readonly long _leaseMs;
    private readonly ConcurrentDictionary<string, FleetScope> _scopes = new(StringComparer.Ordinal);
    private int _degraded;

    public FleetSlots(IOptions<AdmissionOptions> admission, RedisConnection redis, GatewayInstance instance, TimeProvider time, ILogger<FleetSlots> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        _instance = instance.Id;
        _instancePrefix = redis.Key("instance:");
        _leaseMs = (long)redis.InstanceLease.TotalMilliseconds;
        Enabled = admission.Value.Scope == AdmissionScope.Fleet && redis.Enabled;
    }

    /// <summary>True with <c>Admission:Scope=Fleet</c> (and Redis configured, which validation requires).</summary>
    public bool Enabled { get; }

    /// <summary>True while Redis does not answer admission: every gateway admits up to its own limits.</summary>
    public bool Degraded => Volatile.Read(ref _degraded) != 0;

    /// <summary>How long a dead gateway's slots outlive its last heartbeat (<c>Redis:InstanceLease</c>).</summary>
    public TimeSpan Lease => _redis.InstanceLease;

    /// <summary>The scope named <paramref name="name"/> (<see cref="Clients"/>, <c>key:NAME:sessions</c>, ...).</summary>
    /// <param name="earliestExpiry">When this gateway's earliest session of the scope reaches its max connection time (the WAIT estimate), or null.</param>
    public FleetScope Scope(string name, Func<DateTimeOffset?>? earliestExpiry = null) =>
        _scopes.GetOrAdd(name, static (n, state) =>
        {
            var (redis, earliest) = state;
            var root = redis.Key("admission:{" + n + "}:");
            return new FleetScope(n, root + "counts", root + "earliest", earliest);
        }, (_redis, earliestExpiry));

    /// <summary>
    /// Takes a slot of <paramref name="scope"/> unless <paramref name="max"/> are held fleet-wide: one script, one
    /// round trip. Refused: the time until the fleet's earliest session reaches its max connection time.
    /// </summary>
    /// <param name="expiresAt">When the session being admitted reaches its max connection time.</param>
    public async ValueTask<FleetAcquire> TryAcquireAsync(FleetScope scope, int max, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(scope);

        // Counted before the call: a heartbeat sent meanwhile reports this slot (over, never under, for one beat).
        scope.Take();
        if (!_redis.Multiplexer.IsConnected)
        {
            return Degrade(scope, "not connected");
        }

        RedisResult result;
        try
        {
            result = await _redis.Database.ScriptEvaluateAsync(
                FleetScripts.Acquire,
                [scope.Counts, scope.Earliest],
                [_instance, max, _instancePrefix, expiresAt.ToUnixTimeMilliseconds(), _leaseMs]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Degrade(scope, ex.Message);
        }

        Recovered();
        var parts = (RedisResult[])result!;
        if ((long)parts[0] == 1)
        {
            return new FleetAcquire(new FleetSlot(this, scope), TimeSpan.Zero);
        }

        scope.Give();
        var earliest = (long)parts[1];
        var wait = earliest < 0 ? TimeSpan.Zero : DateTimeOffset.FromUnixTimeMilliseconds(earliest) - _time.GetUtcNow();
        return new FleetAcquire(null, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    /// <summary>
    /// The heartbeat: renews this gateway's lease and writes the slots it holds in every scope (one script). Throws
    /// <see cref="RedisException"/> when Redis does not answer.
    /// </summary>
    public async Task RenewAsync()
    {
        var scopes = _scopes.Values.ToArray();
        var keys = new RedisKey[1 + (scopes.Length * 2)];
        var args = new RedisValue[2 + (scopes.Length * 2)];
        keys[0] = _instancePrefix + _instance;
        args[0] = _leaseMs;
        args[1] = _instance;
        for (var i = 0; i < scopes.Length; i++)
        {
            keys[1 + (2 * i)] = scopes[i].Counts;
            keys[2 + (2 * i)] = scopes[i].Earliest;
            args[2 + (2 * i)] = Math.Max(0, scopes[i].Held);
            args[3 + (2 * i)] = scopes[i].EarliestExpiryMs;
        }

        await _redis.Database.ScriptEvaluateAsync(FleetScripts.Renew, keys, args);
        Recovered();
    }

    internal void Release(FleetScope scope)
    {
        scope.Give();
        try
        {
            if (_redis.Multiplexer.IsConnected)
            {
                _redis.Database.ScriptEvaluate(FleetScripts.Release, [scope.Counts], [_instance], CommandFlags.FireAndForget);
            }
        }
        catch (RedisException)
        {
            // The next heartbeat writes the true count.
        }
    }

    private FleetAcquire Degrade(FleetScope scope, string problem)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            Log.Degraded(_logger, problem);
        }

        return new FleetAcquire(new FleetSlot(this, scope), TimeSpan.Zero, Degraded: true);
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _degraded) != 0 && Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            Log.Recovered(_logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.FleetAdmissionDegraded, LogLevel.Warning, "Fleet admission: Redis does not answer ({Problem}); admitting up to this gateway's own limits until it does")]
        public static partial void Degraded(ILogger logger, string problem);

        [LoggerMessage(EventIds.FleetAdmissionRecovered, LogLevel.Information, "Fleet admission: Redis answers again; limits hold fleet-wide")]
        public static partial void Recovered(ILogger logger);
    }
}
