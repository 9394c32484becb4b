namespace Gateway.Core.Rooms;

/// <summary>WebSocket close codes of room errors (docs/rooms.md §6), next to the session's (Sessions/CloseCodes).</summary>
public static class RoomCloseCodes
{
    /// <summary>A viewer asked for a room that does not exist (or expired).</summary>
    public const int RoomNotFound = 4004;

    /// <summary>The speaker name is already in use in the room.</summary>
    public const int SpeakerTaken = 4009;

    /// <summary>The room has its maximum number of participants.</summary>
    public const int RoomFull = 4010;

    /// <summary>The room has its maximum number of viewers.</summary>
    public const int ViewerLimit = 4011;

    /// <summary>The gateway has its maximum number of rooms.</summary>
    public const int RoomLimit = 4012;

    /// <summary>An invalid room or speaker name.</summary>
    public const int InvalidName = 4013;

    /// <summary>A viewer that did not read fast enough was dropped (its queue was full); reconnect to resume.</summary>
    public const int SlowViewer = 4014;

    /// <summary>The shared room state (Redis) does not answer: try again later (RFC 6455 1013).</summary>
    public const int RoomStateUnavailable = 1013;
}
