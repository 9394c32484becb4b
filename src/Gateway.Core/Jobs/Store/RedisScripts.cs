namespace Gateway.Core.Jobs.Store;

/// <summary>
/// The Lua scripts that make the Redis store's state changes atomic. A job hash holds <c>record</c> (JSON),
/// <c>status</c> (the authoritative <see cref="JobStatus"/> number), <c>lease</c> (the current token), <c>entry</c>
/// (its stream entry while queued or processing), <c>stream</c> (the stream of its priority), <c>progress</c>,
/// <c>duration</c>, <c>size</c>.
/// </summary>
/// <remarks>
/// One stream per priority (<c>{prefix}:stream:{priority}</c>, each with the consumer group), the priorities in use in
/// the sorted set <c>{prefix}:levels</c>: a claim takes from the highest priority first, and within one priority the
/// stream's order is first in, first out — the embedded store's order (priority, then oldest). The queued set's score
/// is <c>-priority · 2³² + seq</c>, so its rank is the queue position.
/// </remarks>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: bytes. ARGV: size, quota. Reserves the upload's bytes unless they would exceed the quota: the check and
    /// the reservation in one step, so concurrent submits on any gateways cannot overshoot it together. Returns -1
    /// when reserved, else the bytes in use.
    /// </summary>
    public const string ReserveBytes = """
        local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
        if stored + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return stored end
        redis.call('INCRBY', KEYS[1], ARGV[1])
        return -1
        """;

    /// <summary>
    /// KEYS: levels zset, queued zset. ARGV: group, consumer, lease timeout ms, token, key prefix.
    /// Priority by priority, highest first: reclaims an entry idle past the lease timeout (its worker died:
    /// XAUTOCLAIM), else reads a new one; entries of jobs deleted or finished meanwhile are acknowledged and skipped;
    /// a priority whose stream is empty leaves the levels. Returns {id, record} or nil.
    /// </summary>
    public const string Claim = """
        local function take(stream, entry)
          local id = entry[2][2]
          local key = ARGV[5] .. ':job:' .. id
          local status = redis.call('HGET', key, 'status')
          if status ~= '0' and status ~= '1' then
            redis.call('XACK', stream, ARGV[1], entry[1])
            redis.call('XDEL', stream, entry[1])
            return nil
          end
          redis.call('HSET', key, 'status', '1', 'lease', ARGV[4], 'entry', entry[1], 'stream', stream)
          redis.call('ZREM', KEYS[2], id)
          return {id, redis.call('HGET', key, 'record')}
        end
        for _, level in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
          local stream = ARGV[5] .. ':stream:' .. level
          local start = '0-0'
          repeat
            local claimed = redis.call('XAUTOCLAIM', stream, ARGV[1], ARGV[2], ARGV[3], start, 'COUNT', 10)
            start = claimed[1]
            for _, entry in ipairs(claimed[2]) do
              if entry[2] then
                local taken = take(stream, entry)
                if taken then return taken end
              end
            end
          until start == '0-0'
          while true do
            local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', stream, '>')
            if not read then break end
            local taken = take(stream, read[1][2][1])
            if taken then return taken end
          end
          if redis.call('XLEN', stream) == 0 then redis.call('ZREM', KEYS[1], level) end
        end
        return nil
        """;

    /// <summary>
    /// KEYS: job hash, levels zset, queued zset, seq. ARGV: id, priority, key prefix, group, then field/value pairs.
    /// Queues the job: a new entry on its priority's stream (created with the group when missing), its place in the
    /// queued set, its fields. Returns the entry id.
    /// </summary>
    public const string Enqueue = EnqueueFunction + """
        return enqueue(4)
        """;

    // Shared by Enqueue and Retry: KEYS[1..4] and ARGV[1..4] as Enqueue's; sets ARGV[from+1..] as field/value pairs.
    private const string EnqueueFunction = """
        local function enqueue(from)
          local stream = ARGV[3] .. ':stream:' .. ARGV[2]
          redis.pcall('XGROUP', 'CREATE', stream, ARGV[4], '0', 'MKSTREAM')
          local seq = redis.call('INCR', KEYS[4])
          redis.call('ZADD', KEYS[3], -tonumber(ARGV[2]) * 4294967296 + seq, ARGV[1])
          redis.call('ZADD', KEYS[2], tonumber(ARGV[2]), ARGV[2])
          local entry = redis.call('XADD', stream, '*', 'id', ARGV[1])
          redis.call('HSET', KEYS[1], 'entry', entry, 'stream', stream)
          for i = from + 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
          return entry
        end

        """;

    /// <summary>
    /// KEYS: job hash. ARGV: token, group, consumer, then field/value pairs to set.
    /// When the lease is still this token: resets the entry's idle time (XCLAIM to itself) and sets the fields. Returns 1, else 0.
    /// </summary>
    public const string Renew = """
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= '1' then return 0 end
        local entry = redis.call('HGET', KEYS[1], 'entry')
        local owned = redis.call('XCLAIM', redis.call('HGET', KEYS[1], 'stream'), ARGV[2], ARGV[3], 0, entry, 'JUSTID')
        if #owned == 0 then return 0 end
        for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        return 1
        """;

    /// <summary>
    /// KEYS: job hash. ARGV: token, group, status, record. Exactly once: only the current lease finishes the
    /// job; the stream entry is acknowledged and deleted. Returns 1, else 0.
    /// </summary>
    public const string Finish = """
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= '1' then return 0 end
        local entry = redis.call('HGET', KEYS[1], 'entry')
        local stream = redis.call('HGET', KEYS[1], 'stream')
        redis.call('XACK', stream, ARGV[2], entry)
        redis.call('XDEL', stream, entry)
        redis.call('HSET', KEYS[1], 'status', ARGV[3], 'record', ARGV[4])
        redis.call('HDEL', KEYS[1], 'lease', 'entry')
        return 1
        """;

    /// <summary>
    /// KEYS: job hash, audio, segments, index, queued, bytes. ARGV: id, group, cancel channel.
    /// Removes the job; a processing job's worker is told on the channel. Returns the old status, or -1 when unknown.
    /// </summary>
    public const string Delete = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status then return -1 end
        local entry = redis.call('HGET', KEYS[1], 'entry')
        if entry then
          local stream = redis.call('HGET', KEYS[1], 'stream')
          redis.call('XACK', stream, ARGV[2], entry)
          redis.call('XDEL', stream, entry)
        end
        local size = tonumber(redis.call('HGET', KEYS[1], 'size') or '0')
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        redis.call('ZREM', KEYS[4], ARGV[1])
        redis.call('ZREM', KEYS[5], ARGV[1])
        redis.call('DECRBY', KEYS[6], size)
        if status == '1' then redis.call('PUBLISH', ARGV[3], ARGV[1]) end
        return tonumber(status)
        """;

    /// <summary>
    /// KEYS: job hash, levels zset, queued zset, seq, segments. ARGV: id, priority, key prefix, group, expected
    /// status, record, clear segments (1/0). Queues a finished job again (a new entry on its priority's stream).
    /// Returns 1, 0 when its status changed meanwhile, -1 when unknown.
    /// </summary>
    public const string Retry = EnqueueFunction + """
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status then return -1 end
        if status ~= ARGV[5] then return 0 end
        if ARGV[7] == '1' then redis.call('DEL', KEYS[5]) end
        enqueue(#ARGV)
        redis.call('HSET', KEYS[1], 'status', '0', 'record', ARGV[6], 'progress', '0')
        return 1
        """;

    /// <summary>KEYS: job hash. ARGV: token, then field/value pairs. Sets them while the lease is this token. Returns 1, else 0.</summary>
    public const string SetIfLeased = """
        if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'status') ~= '1' then return 0 end
        for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        return 1
        """;
}
