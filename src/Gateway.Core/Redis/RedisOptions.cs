namespace Gateway.Core.Redis;

/// <summary>
/// The fleet's shared Redis (docs/scale-out.md). Section <c>Redis</c>. With no <see cref="Configuration"/> the gateway
/// is a single process and shares nothing: rooms, admission and instance seats stay in memory.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// StackExchange.Redis configuration string (<c>host:port,password=...</c>). When set, rooms go through Redis so a
    /// viewer on any gateway sees every speaker on every gateway. Default none.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Key and channel prefix, so several deployments can share one server (1 to 64 characters, no spaces). Default <c>gateway</c>.</summary>
    public string Prefix { get; set; } = "gateway";

    /// <summary>
    /// How long this gateway's seats (room speaker names, fleet admission slots) outlive its last heartbeat, so a dead
    /// gateway's seats come back within this time (2 s to 10 min). The heartbeat runs every third of it. Default 15 seconds.
    /// </summary>
    public TimeSpan InstanceLease { get; set; } = TimeSpan.FromSeconds(15);
}
