namespace Gateway.Core.Rooms;

/// <summary>What happened in a room; the <c>type</c> of a viewer message (docs/rooms.md §4).</summary>
public enum RoomEventKind
{
    ParticipantJoined,
    ParticipantLeft,
    SpeechStarted,
    SpeechEnded,
    Partial,
    Final,
    SegmentFailed,
}
