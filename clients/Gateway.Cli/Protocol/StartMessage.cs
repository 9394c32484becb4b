using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Cli.Protocol;

/// <summary>The native protocol's <c>start</c> message (docs/protocol.md §2) for 16 kHz mono PCM16.</summary>
/// <param name="Hotwords">The <c>--hotwords</c> text as given (<c>word,word:weight</c>): the server reads it with the
/// one hotword grammar every protocol shares and reports a bad weight as its <c>invalid_config</c> error.</param>
/// <param name="Room">The meeting room to speak in (docs/rooms.md), with <paramref name="Speaker"/> as the name viewers see.</param>
internal sealed record StartMessage(string? Language, string? Hotwords, int? MaxSegmentMs, string? Room = null, string? Speaker = null)
{
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

        if (!string.IsNullOrWhiteSpace(Hotwords))
        {
            message["hotwords"] = Hotwords;
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
