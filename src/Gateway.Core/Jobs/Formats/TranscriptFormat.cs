using System.Globalization;
using System.Text;
using Gateway.Core.Jobs.Store;

namespace Gateway.Core.Jobs.Formats;

/// <summary>A finished job's sentences as SubRip, WebVTT or plain text (one cue per sentence).</summary>
public static class TranscriptFormat
{
    public const string Srt = "srt";
    public const string Vtt = "vtt";
    public const string Txt = "txt";
    public const string Json = "json";

    public static IReadOnlyList<string> All { get; } = [Json, Srt, Vtt, Txt];

    public static string ContentType(string format) => format switch
    {
        Srt => "application/x-subrip; charset=utf-8",
        Vtt => "text/vtt; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    public static string Render(string format, IReadOnlyList<JobSentence> sentences)
    {
        var text = new StringBuilder();
        if (format == Vtt)
        {
            text.Append("WEBVTT\n\n");
        }

        for (var i = 0; i < sentences.Count; i++)
        {
            var s = sentences[i];
            switch (format)
            {
                case Srt:
                    text.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{Time(s.Start, ',')} --> {Time(s.End, ',')}\n{s.Text}\n\n");
                    break;
                case Vtt:
                    text.Append(CultureInfo.InvariantCulture, $"{Time(s.Start, '.')} --> {Time(s.End, '.')}\n{s.Text}\n\n");
                    break;
                default:
                    text.Append(s.Text).Append('\n');
                    break;
            }
        }

        return text.ToString();
    }

    private static string Time(double seconds, char separator)
    {
        var t = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}{separator}{t.Milliseconds:000}");
    }
}
