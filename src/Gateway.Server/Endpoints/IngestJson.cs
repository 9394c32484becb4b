using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Ingest;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Segmentation;

namespace Gateway.Server.Endpoints;

/// <summary>The ingest API's JSON: the request it accepts and the state it answers (snake_case, like the rest of the API).</summary>
internal static class IngestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static (IngestRequest? Request, string? Error) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not valid JSON: {ex.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "the body must be a JSON object like {\"url\": \"rtsp://camera/stream\", \"room\": \"lobby\"}");
            }

            if (!root.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String || url.GetString() is not { Length: > 0 } address)
            {
                return (null, "\"url\" is required (a string)");
            }

            string? Text(string name, out string? error)
            {
                error = null;
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (value.ValueKind != JsonValueKind.String)
                {
                    error = $"\"{name}\" must be a string";
                    return null;
                }

                return value.GetString();
            }

            var room = Text("room", out var e1);
            var speaker = Text("speaker", out var e2);
            var language = Text("language", out var e3);
            if ((e1 ?? e2 ?? e3) is { } fieldError)
            {
                return (null, fieldError);
            }

            Dictionary<string, int>? hotwords = null;
            if (root.TryGetProperty("hotwords", out var words) && words.ValueKind != JsonValueKind.Null)
            {
                if (words.ValueKind != JsonValueKind.Object)
                {
                    return (null, "\"hotwords\" must be an object of word to weight, like {\"Alibaba\": 20}");
                }

                hotwords = [];
                foreach (var word in words.EnumerateObject())
                {
                    if (word.Value.ValueKind != JsonValueKind.Number || !word.Value.TryGetInt32(out var weight) || weight is < 1 or > 100)
                    {
                        return (null, $"hotword \"{word.Name}\" needs an integer weight between 1 and 100");
                    }

                    hotwords[word.Name] = weight;
                }
            }

            SegmenterOverrides? segmentation = null;
            if (root.TryGetProperty("segmentation", out var segmenter) && NativeSettingsParser.ParseSegmentation(segmenter, out segmentation) is { } segmentationError)
            {
                return (null, segmentationError.Message);
            }

            return (new IngestRequest(address, room, speaker, language, hotwords, segmentation), null);
        }
    }

    public static object From(IngestSnapshot s) => new
    {
        id = s.Id,
        url = s.Url,
        room = s.Room,
        speaker = s.Speaker,
        state = s.State,
        created_at = s.CreatedAt,
        source_format = s.SourceFormat,
        audio_received_ms = Math.Round(s.AudioReceivedMs),
        position_ms = Math.Round(s.PositionMs),
        restarts = s.Restarts,
        finals = s.Finals,
        lag_ms = Math.Round(s.LagMs),
        last_error = s.LastError is null ? null : new { message = s.LastError, stderr = s.StderrTail },
        gaps = s.Gaps.Select(g => new { start_ms = Math.Round(g.StartMs), end_ms = Math.Round(g.EndMs) }),
        captions = new { vtt = $"{IngestEndpoints.Prefix}/{s.Id}/captions.vtt", srt = $"{IngestEndpoints.Prefix}/{s.Id}/captions.srt", hls = $"{IngestEndpoints.Prefix}/{s.Id}/subtitles.m3u8" },
    };
}
