using Gateway.Core.Results;

namespace Gateway.Core.Rooms;

/// <summary>
/// A room event before the bus numbers and renders it. Times are milliseconds on the room's clock (from the room's
/// start); <paramref name="SegmentId"/> is unique in the room, <paramref name="SessionSegmentId"/> is the id the
/// speaker's own client saw. <paramref name="EndedAt"/> is the <see cref="TimeProvider"/> timestamp of the
/// segment's end of speech (finals only; caption latency), 0 when unknown.
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
    string? Code = null,
    long EndedAt = 0);
