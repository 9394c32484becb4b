using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Core.Rooms;

/// <summary>
/// A room's finals as a document (docs/rooms.md §5), in order of speech start, the order viewers' histories use.
/// WebVTT cues carry a voice span (<c>&lt;v Alice&gt;text</c>); SRT and text lines a <c>Alice: </c> prefix.
/// </summary>
public static class RoomTranscript
{
    public const string Json = "json";
    public const string Srt = "srt";
    public const string Vtt = "vtt";
    public const string Text = "txt";

    public static IReadOnlyList<string> Formats { get; } = [Json, Srt, Vtt, Text];

    public static string ContentType(string format) => format switch
    {
        Json => "application/json; charset=utf-8",
        Srt => "application/x-subrip; charset=utf-8",
        Vtt => "text/vtt; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    public static byte[] Render(string format, RoomSnapshot room, IReadOnlyList<RoomEvent> finals) => format switch
    {
        Json => RenderJson(room, finals),
        Srt => Encoding.UTF8.GetBytes(RenderSrt(finals)),
        Vtt => Encoding.UTF8.GetBytes(RenderVtt(finals)),
        _ => Encoding.UTF8.GetBytes(RenderText(finals)),
    };

    private static IEnumerable<RoomEventData> Cues(IReadOnlyList<RoomEvent> finals) =>
        finals.Select(f => f.Data).Where(f => !string.IsNullOrWhiteSpace(f.Text));

    private static string RenderSrt(IReadOnlyList<RoomEvent> finals)
    {
        var text = new StringBuilder();
        var n = 0;
        foreach (var cue in Cues(finals))
        {
            text.Append(CultureInfo.InvariantCulture, $"{++n}\n{Time(cue.StartMs, ',')} --> {Time(cue.EndMs, ',')}\n{cue.Speaker}: {OneLine(cue.Text!)}\n\n");
        }

        return text.ToString();
    }

    private static string RenderVtt(IReadOnlyList<RoomEvent> finals)
    {
        var text = new StringBuilder("WEBVTT\n\n");
        var n = 0;
        foreach (var cue in Cues(finals))
        {
            text.Append(CultureInfo.InvariantCulture, $"{++n}\n{Time(cue.StartMs, '.')} --> {Time(cue.EndMs, '.')}\n<v {VttEscape(cue.Speaker)}>{VttEscape(OneLine(cue.Text!))}\n\n");
        }

        return text.ToString();
    }

    private static string RenderText(IReadOnlyList<RoomEvent> finals)
    {
        var text = new StringBuilder();
        foreach (var cue in Cues(finals))
        {
            text.Append(CultureInfo.InvariantCulture, $"[{Time(cue.StartMs, '.')}] {cue.Speaker}: {OneLine(cue.Text!)}\n");
        }

        return text.ToString();
    }

    private static byte[] RenderJson(RoomSnapshot room, IReadOnlyList<RoomEvent> finals)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("room", room.Name);
            json.WriteString("created_at", room.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("duration_ms", room.DurationMs);
            json.WriteStartArray("segments");
            foreach (var final in finals)
            {
                // The viewer's own message, so the transcript and the live stream cannot disagree.
                using var element = JsonDocument.Parse(final.Json);
                element.RootElement.WriteTo(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A blank line ends a cue in both formats, so a cue's text stays on one line.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    internal static string VttEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary><c>HH:MM:SS&lt;sep&gt;mmm</c>, as the caption page and the CLI write them.</summary>
    internal static string Time(double ms, char separator)
    {
        var total = (long)Math.Round(Math.Max(0, ms));
        return string.Create(CultureInfo.InvariantCulture, $"{total / 3_600_000:00}:{total / 60_000 % 60:00}:{total / 1000 % 60:00}{separator}{total % 1000:000}");
    }
}
