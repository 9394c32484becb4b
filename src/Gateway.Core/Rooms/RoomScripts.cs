namespace Gateway.Core.Rooms;

/// <summary>The Lua scripts that keep a room's shared state consistent across gateways (each runs atomically in Redis).</summary>
internal static class RoomScripts
{
    /// <summary>
    /// KEYS: seq, history. ARGV: event JSON, retained (1/0), history capacity, channel, backstop TTL ms.
    /// Numbers the event, keeps it when retained (entry id <c>0-seq</c>, the oldest trimmed), and publishes
    /// <c>seq</c>, a newline and the JSON. One script, so the number, the history and the channel never disagree.
    /// </summary>
    public const string Publish = """
        local seq = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        if ARGV[2] == '1' then
          redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], '0-' .. seq, 'e', ARGV[1])
        end
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        redis.call('PUBLISH', ARGV[4], seq .. '\n' .. ARGV[1])
        return seq
        """;

    /// <summary>
    /// KEYS: seq, history, meta, speakers, gateways. ARGV: instance key prefix.
    /// Forgets gateways whose heartbeat lapsed; when none holds the room any more, deletes all of it. Returns 1 when deleted.
    /// </summary>
    public const string Remove = """
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[5])) do
          if redis.call('EXISTS', ARGV[1] .. id) == 0 then redis.call('SREM', KEYS[5], id) end
        end
        if redis.call('SCARD', KEYS[5]) == 0 then
          redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
          return 1
        end
        return 0
        """;
}
