namespace Gateway.Core.Rooms;

/// <summary>Meeting rooms (docs/rooms.md): limits, retention, viewer queues. Section <c>Rooms</c>.</summary>
public sealed class RoomOptions
{
    public const string Section = "Rooms";

    /// <summary>Rooms that may exist at once, lingering ones included (1 to 100000). Default 1000.</summary>
    public int MaxRooms { get; set; } = 1000;

    /// <summary>Participants (speaking sessions) per room; a room created with <c>POST /v1/rooms</c> may set fewer (1 to 1000). Default 16.</summary>
    public int MaxParticipants { get; set; } = 16;

    /// <summary>Viewers (WebSocket and SSE together) per room; a created room may set fewer (1 to 100000). Default 500.</summary>
    public int MaxViewers { get; set; } = 500;

    /// <summary>
    /// How long a room lingers once it has neither participants nor viewers, so its transcript can still be fetched
    /// (00:00:00 to 7 days); a created room may set its own <c>retention_seconds</c> up to <see cref="MaxRetention"/>. Default 10 minutes.
    /// </summary>
    public TimeSpan IdleExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest retention a created room may ask for (00:00:00 to 7 days). Default 1 day.</summary>
    public TimeSpan MaxRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Events queued for one viewer that is not reading before it is dropped as a slow viewer (8 to 65536). Default 256.</summary>
    public int ViewerQueueCapacity { get; set; } = 256;

    /// <summary>
    /// Events a room keeps for late joiners, <c>Last-Event-ID</c> resume and the transcript: finals, speech and
    /// participant events; partials are not kept (100 to 1000000). The oldest go first. Default 20000.
    /// </summary>
    public int HistoryCapacity { get; set; } = 20_000;

    /// <summary>Longest speaker name in characters (1 to 128). Default 32.</summary>
    public int MaxSpeakerNameLength { get; set; } = 32;

    /// <summary>A dropped viewer's last error and close get this long before its connection is aborted (0 to 1 min). Default 2 seconds.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An SSE viewer gets a comment line after this long without events, so proxies keep the stream open (1 s to 5 min). Default 15 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
