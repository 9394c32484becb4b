using Gateway.Core.Results;

namespace Gateway.Core.Rooms;

/// <summary>
/// A room event before the bus numbers and renders it. Times are milliseconds on the room's clock (from the room's
/// start); <paramref name="SegmentId"/> is unique in the room, <paramref name="SessionSegmentId"/> is the id the
/// speaker's own client saw. A final's <paramref name="Sentences"/> are in the speaker's stream samples; add
/// <paramref name="SentenceOffsetMs"/> (the join time) for the room's clock.
/// </summary>
public sealed record RoomEventData(
    RoomEventKind Kind,
    string Speaker,
    long SegmentId = 0,
    long SessionSegmentId = 0,
    double StartMs = 0,
    double EndMs = 0,
    string? Text = null,
    IReadOnlyList<Sentence>? Sentences = null,
    double SentenceOffsetMs = 0,
    string? Code = null);
