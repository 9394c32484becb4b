using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Cli.Protocol;

/// <summary>The native protocol's <c>start</c> message (docs/protocol.md §2) for 16 kHz mono PCM16.</summary>
/// <param name="Room">The meeting room to speak in (docs/rooms.md), with <paramref name="Speaker"/> as the name viewers see.</param>
internal sealed record StartMessage(string? Language, IReadOnlyDictionary<string, int> Hotwords, int? MaxSegmentMs, string? Room = null, string? Speaker = null)
{
    /// <summary>Default weight of a hotword given without one (the protocol's query-string default).</summary>
    public const int DefaultHotwordWeight = 20;

    /// <summary>
    /// Parses <c>word,word:weight,…</c>. Weights are passed on as given; the server validates them
    /// (an out-of-range weight is its <c>invalid_config</c> error, not the client's).
    /// </summary>
    public static IReadOnlyDictionary<string, int> ParseHotwords(string? text)
    {
        var hotwords = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = item.LastIndexOf(':');
            if (colon > 0 && int.TryParse(item.AsSpan(colon + 1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var weight))
            {
                hotwords[item[..colon]] = weight;
            }
            else
            {
                hotwords[item] = DefaultHotwordWeight;
            }
        }

        return hotwords;
    }

    public string ToJson()
    {
        var message = new JsonObject
        {
            ["type"] = "start",
            ["encoding"] = "pcm_s16le",
            ["sample_rate"] = Audio.AudioFormat.SampleRate,
            ["channels"] = 1,
            ["interim_results"] = true,
        };
        if (Language is { Length: > 0 })
        {
            message["language"] = Language;
        }

        if (Hotwords.Count > 0)
        {
            var hotwords = new JsonObject();
            foreach (var (word, weight) in Hotwords)
            {
                hotwords[word] = weight;
            }

            message["hotwords"] = hotwords;
        }

        if (Room is { Length: > 0 })
        {
            message["room"] = Room;
            message["speaker"] = Speaker;
        }

        if (MaxSegmentMs is { } maxSegmentMs)
        {
            message["segmentation"] = new JsonObject { ["max_segment_ms"] = maxSegmentMs };
        }

        return message.ToJsonString(JsonSerializerOptions.Default);
    }
}
