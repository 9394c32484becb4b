namespace Gateway.Core.Admission;

/// <summary>
/// The Lua scripts behind fleet admission (each runs atomically in Redis). A scope (<c>clients</c>, or one key's
/// <c>sessions</c> or <c>ingests</c>) is two hashes: <c>counts</c> (instance → slots it holds) and <c>earliest</c>
/// (instance → when its earliest session reaches its max connection time, Unix ms). An instance counts while its
/// key <c>prefix:instance:ID</c> exists, which its heartbeat renews (<see cref="Renew"/>).
/// </summary>
internal static class FleetScripts
{
    /// <summary>
    /// KEYS: counts, earliest. ARGV: instance, max, instance key prefix, this session's expiry (Unix ms), lease ms.
    /// Forgets instances whose key lapsed, counts the rest, and takes a slot when fewer than max are held.
    /// Returns {1, 0} when taken, else {0, earliest expiry among live instances (Unix ms, -1 when unknown)}.
    /// </summary>
    public const string Acquire = """
        local total = 0
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do
          local id = fields[i]
          if id ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. id) == 0 then
            redis.call('HDEL', KEYS[1], id)
            redis.call('HDEL', KEYS[2], id)
          else
            total = total + tonumber(fields[i + 1])
          end
        end
        if total >= tonumber(ARGV[2]) then
          local earliest = -1
          for _, v in ipairs(redis.call('HVALS', KEYS[2])) do
            local e = tonumber(v)
            if e > 0 and (earliest < 0 or e < earliest) then earliest = e end
          end
          return {0, earliest}
        end
        redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[4]) end
        redis.call('SET', ARGV[3] .. ARGV[1], '1', 'PX', ARGV[5])
        return {1, 0}
        """;

    /// <summary>KEYS: counts. ARGV: instance. Gives one slot back; never below zero (a count the heartbeat rewrote).</summary>
    public const string Release = """
        local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if n > 1 then
          redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
        elseif n == 1 then
          redis.call('HDEL', KEYS[1], ARGV[1])
        end
        return n
        """;

    /// <summary>
    /// KEYS: the instance key, then counts and earliest of each scope. ARGV: lease ms, instance, then each scope's count and
    /// earliest expiry as this gateway holds them. Renews the instance's lease and writes its true counts (which
    /// also restores them after an outage or a lapse); a zero count removes its fields.
    /// </summary>
    public const string Renew = """
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        local instance = ARGV[2]
        for j = 2, #KEYS, 2 do
          local n = ARGV[j + 1]
          if n == '0' then
            redis.call('HDEL', KEYS[j], instance)
            redis.call('HDEL', KEYS[j + 1], instance)
          else
            redis.call('HSET', KEYS[j], instance, n)
            redis.call('HSET', KEYS[j + 1], instance, ARGV[j + 2])
          end
        end
        return #KEYS
        """;
}
