namespace Gateway.Core.Rooms;

/// <summary>The Lua scripts that keep a room's shared state consistent across gateways (each runs atomically in Redis).</summary>
internal static class RoomScripts
{
    /// <summary>
    /// KEYS: seq, history, gateways. ARGV: event JSON, retained (1/0), history capacity, channel, backstop TTL ms, instance.
    /// Numbers the event, keeps it when retained (entry id <c>0-seq</c>, the oldest trimmed), and publishes
    /// <c>seq</c>, a newline and the JSON. One script, so the number, the history and the channel never disagree.
    /// The publishing gateway holds the room: it is (again) in the room's <c>gateways</c> set.
    /// </summary>
    public const string Publish = """
        redis.call('SADD', KEYS[3], ARGV[6])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
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
    /// KEYS: seq, history, meta, speakers, gateways. ARGV: instance key prefix, this instance.
    /// This gateway lets go of the room (and of any name it still claims there); forgets gateways whose heartbeat
    /// lapsed; when none holds the room any more, deletes all of it. Returns 1 when deleted.
    /// </summary>
    public const string Remove = """
        redis.call('SREM', KEYS[5], ARGV[2])
        local seated = redis.call('HGETALL', KEYS[4])
        for i = 1, #seated, 2 do
          if seated[i + 1] == ARGV[2] then redis.call('HDEL', KEYS[4], seated[i]) end
        end
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[5])) do
          if redis.call('EXISTS', ARGV[1] .. id) == 0 then redis.call('SREM', KEYS[5], id) end
        end
        if redis.call('SCARD', KEYS[5]) == 0 then
          redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
          return 1
        end
        return 0
        """;

    /// <summary>
    /// KEYS: speakers, gateways. ARGV: speaker (<see cref="RoomNames.SpeakerKey"/>), instance, instance key prefix, backstop TTL ms.
    /// Seats the name for this gateway unless a live gateway (its heartbeat key exists) already holds it; a name
    /// held by a dead gateway is taken over. The claiming gateway holds the room. Returns 1 when claimed.
    /// </summary>
    public const string Claim = """
        local holder = redis.call('HGET', KEYS[1], ARGV[1])
        if holder and holder ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. holder) == 1 then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('SADD', KEYS[2], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return 1
        """;

    /// <summary>KEYS: speakers. ARGV: speaker (<see cref="RoomNames.SpeakerKey"/>), instance. Frees the name when this gateway holds it.</summary>
    public const string Release = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
        return 0
        """;

    /// <summary>KEYS: gateways. ARGV: instance, backstop TTL ms. This gateway holds the room (it has viewers of it).</summary>
    public const string Hold = """
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 0
        """;
}
