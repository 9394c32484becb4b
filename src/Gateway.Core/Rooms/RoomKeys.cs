using Gateway.Core.Redis;
using StackExchange.Redis;

namespace Gateway.Core.Rooms;

/// <summary>
/// One room's Redis keys (docs/scale-out.md §2), hash-tagged on the room name: <c>seq</c> (last event number),
/// <c>history</c> (a Stream of the retained events, entry id <c>0-seq</c>), <c>meta</c> (start time, settings, segment id
/// blocks), <c>speakers</c> (seated names → instance), <c>gateways</c> (instances holding the room), and the
/// <c>events</c> channel that carries every event, partials included.
/// </summary>
internal readonly struct RoomKeys
{
    public RoomKeys(RedisConnection redis, string room)
    {
        var root = redis.Key("room:{" + room + "}:");
        Seq = root + "seq";
        History = root + "history";
        Meta = root + "meta";
        Speakers = root + "speakers";
        Gateways = root + "gateways";
        Events = RedisChannel.Literal(root + "events");
        InstancePrefix = redis.Key("instance:");
    }

    public RedisKey Seq { get; }

    public RedisKey History { get; }

    public RedisKey Meta { get; }

    public RedisKey Speakers { get; }

    public RedisKey Gateways { get; }

    public RedisChannel Events { get; }

    /// <summary><c>prefix:instance:</c>; an instance's key exists while its heartbeat renews it.</summary>
    public string InstancePrefix { get; }

    /// <summary>Every key of the room, in the order <see cref="RoomScripts.Remove"/> expects.</summary>
    public RedisKey[] All => [Seq, History, Meta, Speakers, Gateways];
}
