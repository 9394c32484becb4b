using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Cli.Protocol;

namespace Gateway.Cli.Captions;

/// <summary>Everything the session produced: finals in order, segment errors, dropped audio, the outcome.</summary>
internal sealed class Transcript
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<Caption> _captions = [];
    private readonly List<JsonElement> _errors = [];

    public IReadOnlyList<Caption> Captions => _captions;

    public IReadOnlyList<JsonElement> Errors => _errors;

    public double DroppedMs { get; private set; }

    public string? SessionId { get; set; }

    public Caption AddFinal(ServerMessage final)
    {
        var sentences = new List<CaptionSentence>();
        if (final.Body.TryGetProperty("sentences", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in list.EnumerateArray())
            {
                sentences.Add(new CaptionSentence(
                    s.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "",
                    s.TryGetProperty("start_ms", out var a) ? a.GetDouble() : 0,
                    s.TryGetProperty("end_ms", out var b) ? b.GetDouble() : 0));
            }
        }

        var caption = new Caption(
            (long)(final.Number("segment_id") ?? _captions.Count + 1),
            final.String("text") ?? "",
            final.Number("start_ms") ?? 0,
            final.Number("end_ms") ?? 0,
            sentences);
        _captions.Add(caption);
        return caption;
    }

    public void AddError(ServerMessage error) => _errors.Add(error.Body);

    public void AddOverflow(ServerMessage overflow) => DroppedMs = overflow.Number("total_dropped_ms") ?? DroppedMs + (overflow.Number("dropped_ms") ?? 0);

    public string ToJson(string source, string outcome, int exitCode)
    {
        var segments = new JsonArray();
        foreach (var c in _captions)
        {
            var sentences = new JsonArray();
            foreach (var s in c.Sentences)
            {
                sentences.Add(new JsonObject { ["text"] = s.Text, ["start_ms"] = s.StartMs, ["end_ms"] = s.EndMs });
            }

            segments.Add(new JsonObject
            {
                ["segment_id"] = c.SegmentId,
                ["start_ms"] = c.StartMs,
                ["end_ms"] = c.EndMs,
                ["text"] = c.Text,
                ["sentences"] = sentences,
            });
        }

        var errors = new JsonArray();
        foreach (var e in _errors)
        {
            errors.Add(JsonNode.Parse(e.GetRawText()));
        }

        var root = new JsonObject
        {
            ["source"] = source,
            ["session_id"] = SessionId,
            ["outcome"] = outcome,
            ["exit_code"] = exitCode,
            ["dropped_ms"] = DroppedMs,
            ["segments"] = segments,
            ["errors"] = errors,
        };
        return root.ToJsonString(Indented);
    }
}
