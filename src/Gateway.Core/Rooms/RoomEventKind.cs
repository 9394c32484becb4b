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

    /// <summary>A participant's source went away (an ingest's source dropped, docs/ingest.md §4): <c>at_ms</c>, <c>message</c>.</summary>
    SourceLost,

    /// <summary>The source is back: <c>start_ms</c>/<c>end_ms</c> span the gap (silence on the participant's clock).</summary>
    SourceRestored,
}
