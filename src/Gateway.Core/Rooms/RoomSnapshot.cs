namespace Gateway.Core.Rooms;

/// <summary>A room as <c>GET /v1/rooms/{room}</c> shows it.</summary>
public sealed record RoomSnapshot(
    string Name,
    DateTimeOffset CreatedAt,
    double DurationMs,
    bool Created,
    RoomSettings Settings,
    IReadOnlyList<ParticipantSnapshot> Participants,
    int Viewers,
    long Segments,
    long FailedSegments,
    long LastSequence,
    DateTimeOffset? ExpiresAt,
    CaptionLatency Latency);

/// <summary>One participant: the name viewers see, when it joined (room clock), its finals so far.</summary>
public sealed record ParticipantSnapshot(string Speaker, string SessionId, double JoinedAtMs, long Segments);

/// <summary>Speech end to final queued for viewers, over the room's finals: last, mean and max, milliseconds.</summary>
public readonly record struct CaptionLatency(int Count, double LastMs, double MeanMs, double MaxMs);
