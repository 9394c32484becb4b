using System.Text.Json;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Sessions;

namespace Gateway.Core.Rooms;

/// <summary>
/// The body of <c>POST /v1/rooms</c> (docs/rooms.md §3): <c>name</c>, <c>language</c>, <c>hotwords</c>,
/// <c>max_participants</c>, <c>max_viewers</c>, <c>retention_seconds</c>, each optional, checked against the
/// configured limits. Unknown fields are errors.
/// </summary>
public static class RoomSettingsParser
{
    public static (string? Name, RoomSettings? Settings, string? Error) Parse(ReadOnlySpan<byte> utf8, RoomOptions options)
    {
        var settings = RoomSettings.Defaults(options);
        if (utf8.IsEmpty)
        {
            return (null, settings, null);
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return (null, null, $"the body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, "the body must be a JSON object");
            }

            string? name = null;
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                string? error = null;
                switch (property.Name)
                {
                    case "name":
                        name = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                        error = name is null ? "name must be a string" : RoomNames.CheckRoom(name);
                        break;
                    case "language":
                        if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                        {
                            settings = settings with { Language = value.ValueKind == JsonValueKind.Null ? null : value.GetString() };
                        }
                        else
                        {
                            error = "language must be a string or null";
                        }

                        break;
                    case "hotwords":
                        error = NativeSettingsParser.ParseHotwords(value, out var hotwords)?.Message;
                        settings = settings with { Hotwords = hotwords };
                        break;
                    case "max_participants":
                        error = Integer(value, property.Name, 1, options.MaxParticipants, out var participants);
                        settings = settings with { MaxParticipants = participants };
                        break;
                    case "max_viewers":
                        error = Integer(value, property.Name, 1, options.MaxViewers, out var viewers);
                        settings = settings with { MaxViewers = viewers };
                        break;
                    case "retention_seconds":
                        error = Integer(value, property.Name, 0, (int)options.MaxRetention.TotalSeconds, out var seconds);
                        settings = settings with { Retention = TimeSpan.FromSeconds(seconds) };
                        break;
                    default:
                        error = $"unknown field \"{property.Name}\"";
                        break;
                }

                if (error is not null)
                {
                    return (null, null, error);
                }
            }

            return (name, settings, null);
        }
    }

    private static string? Integer(JsonElement value, string field, int min, int max, out int result)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out result))
        {
            result = 0;
            return $"{field} must be an integer";
        }

        return result < min || result > max ? $"{field} must be between {min} and {max} (was {result})" : null;
    }

    /// <summary>A participant's settings with the room's language and hotwords where the participant set none.</summary>
    public static StreamSettings Apply(RoomSettings room, StreamSettings participant) => participant with
    {
        Language = participant.Language ?? room.Language,
        Hotwords = participant.Hotwords.Count > 0 ? participant.Hotwords : room.Hotwords,
    };
}
