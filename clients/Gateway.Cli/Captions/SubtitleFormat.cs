using System.Globalization;
using System.Text;

namespace Gateway.Cli.Captions;

/// <summary>SubRip (SRT) and WebVTT text: one cue per final with text, numbered from 1.</summary>
internal static class SubtitleFormat
{
    /// <summary>SRT: <c>00:00:01,234 --> 00:00:03,456</c>, cues separated by a blank line.</summary>
    public static string ToSrt(IEnumerable<Caption> captions)
    {
        var text = new StringBuilder();
        var number = 0;
        foreach (var caption in Cues(captions))
        {
            text.Append(CultureInfo.InvariantCulture, $"{++number}\n{Time(caption.StartMs, ',')} --> {Time(caption.EndMs, ',')}\n{caption.Text}\n\n");
        }

        return text.ToString();
    }

    /// <summary>WebVTT: a <c>WEBVTT</c> header, then <c>00:00:01.234 --> 00:00:03.456</c> cues.</summary>
    public static string ToVtt(IEnumerable<Caption> captions)
    {
        var text = new StringBuilder("WEBVTT\n\n");
        var number = 0;
        foreach (var caption in Cues(captions))
        {
            // "-->" may not appear in a VTT cue payload.
            text.Append(CultureInfo.InvariantCulture, $"{++number}\n{Time(caption.StartMs, '.')} --> {Time(caption.EndMs, '.')}\n{caption.Text.Replace("-->", "->", StringComparison.Ordinal)}\n\n");
        }

        return text.ToString();
    }

    /// <summary><c>HH:MM:SS,mmm</c> (hours grow past two digits when needed).</summary>
    public static string Time(double milliseconds, char separator)
    {
        var total = (long)Math.Round(Math.Max(0, milliseconds), MidpointRounding.AwayFromZero);
        var hours = total / 3_600_000;
        var minutes = total / 60_000 % 60;
        var seconds = total / 1000 % 60;
        var ms = total % 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{seconds:00}{separator}{ms:000}");
    }

    private static IEnumerable<Caption> Cues(IEnumerable<Caption> captions) =>
        captions.Where(c => !string.IsNullOrWhiteSpace(c.Text)).Select(c => c with { Text = OneLine(c.Text) });

    // A blank line ends a cue in both formats.
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
