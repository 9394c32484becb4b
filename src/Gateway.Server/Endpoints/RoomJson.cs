using System.Globalization;
using Gateway.Core.Rooms;

namespace Gateway.Server.Endpoints;

/// <summary>How <c>GET /v1/rooms</c> and <c>GET /v1/rooms/{room}</c> show a room (docs/rooms.md §3).</summary>
internal static class RoomJson
{
    public static object Summary(RoomSnapshot room) => new
    {
        name = room.Name,
        created_at = room.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        duration_ms = room.DurationMs,
        participants = room.Participants.Count,
        viewers = room.Viewers,
        segments = room.Segments,
    };

    public static object Details(RoomSnapshot room) => new
    {
        name = room.Name,
        created_at = room.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        duration_ms = room.DurationMs,
        created = room.Created,
        settings = new
        {
            language = room.Settings.Language,
            hotwords = room.Settings.Hotwords,
            max_participants = room.Settings.MaxParticipants,
            max_viewers = room.Settings.MaxViewers,
            retention_seconds = room.Settings.Retention.TotalSeconds,
        },
        participants = room.Participants.Select(p => new { speaker = p.Speaker, session_id = p.SessionId, joined_at_ms = p.JoinedAtMs, segments = p.Segments }),
        viewers = room.Viewers,
        segments = room.Segments,
        failed_segments = room.FailedSegments,
        last_seq = room.LastSequence,
        expires_at = room.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
        caption_latency_ms = new { count = room.Latency.Count, last = room.Latency.LastMs, mean = room.Latency.MeanMs, max = room.Latency.MaxMs },
    };
}
