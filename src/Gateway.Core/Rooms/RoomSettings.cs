namespace Gateway.Core.Rooms;

/// <summary>
/// A room's own settings: from <c>POST /v1/rooms</c>, or the configured defaults for a room a participant opened.
/// Language and hotwords apply to participants whose start sets none.
/// </summary>
public sealed record RoomSettings(
    string? Language,
    IReadOnlyDictionary<string, int> Hotwords,
    int MaxParticipants,
    int MaxViewers,
    TimeSpan Retention)
{
    public static RoomSettings Defaults(RoomOptions options) =>
        new(null, new Dictionary<string, int>(), options.MaxParticipants, options.MaxViewers, options.IdleExpiry);
}
