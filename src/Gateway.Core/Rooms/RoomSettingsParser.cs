using System.Text.Json;
using Gateway.Core.Sessions;

namespace Gateway.Core.Rooms;

/// <summary>
/// The body of <c>POST /v1/rooms</c> (docs/rooms.md §3): <c>name</c>, <c>language</c>, <c>hotwords</c>,
/// <c>max_participants</c>, <c>max_viewers</c>, <c>retention_seconds</c>, each optional, checked against the
/// configured limits. Unknown fields are errors.
/// </summary>
public static class RoomSettingsParser
{
    private const int DefaultHotwordWeight = 20;

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
                        error = ParseHotwords(value, out var hotwords);
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

    private static string? ParseHotwords(JsonElement value, out IReadOnlyDictionary<string, int> hotwords)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        hotwords = result;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                    {
                        return "hotwords must be non-empty strings";
                    }

                    result[item.GetString()!.Trim()] = DefaultHotwordWeight;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var entry in value.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var weight) || weight is < 1 or > 100)
                    {
                        return $"hotword weight for \"{entry.Name}\" must be an integer from 1 to 100";
                    }

                    result[entry.Name] = weight;
                }

                return null;
            default:
                return "hotwords must be an array of strings or an object of weights";
        }
    }

    /// <summary>A participant's settings with the room's language and hotwords where the participant set none.</summary>
    public static StreamSettings Apply(RoomSettings room, StreamSettings participant) => participant with
    {
        Language = participant.Language ?? room.Language,
        Hotwords = participant.Hotwords.Count > 0 ? participant.Hotwords : room.Hotwords,
    };
}
