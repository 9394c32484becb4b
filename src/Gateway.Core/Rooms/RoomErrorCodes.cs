namespace Gateway.Core.Rooms;

/// <summary>The <c>code</c> of room errors, in WebSocket error messages and HTTP problem bodies (docs/rooms.md §6).</summary>
public static class RoomErrorCodes
{
    public const string InvalidRoom = "invalid_room";
    public const string InvalidSpeaker = "invalid_speaker";
    public const string SpeakerTaken = "speaker_taken";
    public const string RoomFull = "room_full";
    public const string ViewerLimit = "viewer_limit";
    public const string RoomLimit = "room_limit";
    public const string RoomNotFound = "room_not_found";
    public const string RoomExists = "room_exists";
    public const string InvalidLastEventId = "invalid_last_event_id";
    public const string InvalidFormat = "invalid_format";
    public const string InvalidSettings = "invalid_room_settings";
    public const string SlowViewer = "slow_viewer";
    public const string RoomStateUnavailable = "room_state_unavailable";
}
