using StackExchange.Redis;

namespace Gateway.Core.Admission;

/// <summary>
/// One fleet-wide limit (<c>clients</c>, or one key's <c>sessions</c> or <c>ingests</c>): its Redis hashes and the
/// slots this gateway holds in it, which the heartbeat writes back (<see cref="FleetScripts.Renew"/>).
/// </summary>
public sealed class FleetScope
{
    private readonly Func<DateTimeOffset?>? _earliest;
    private int _held;

    internal FleetScope(string name, RedisKey counts, RedisKey earliest, Func<DateTimeOffset?>? earliestExpiry)
    {
        Name = name;
        Counts = counts;
        Earliest = earliest;
        _earliest = earliestExpiry;
    }

    public string Name { get; }

    /// <summary>Slots this gateway holds, including one whose acquisition is on its way to Redis.</summary>
    public int Held => Volatile.Read(ref _held);

    internal RedisKey Counts { get; }

    internal RedisKey Earliest { get; }

    /// <summary>When this gateway's earliest session of the scope reaches its max connection time (Unix ms; 0 unknown).</summary>
    internal long EarliestExpiryMs => _earliest?.Invoke() is { } at ? at.ToUnixTimeMilliseconds() : 0;

    internal void Take() => Interlocked.Increment(ref _held);

    internal void Give() => Interlocked.Decrement(ref _held);
}
