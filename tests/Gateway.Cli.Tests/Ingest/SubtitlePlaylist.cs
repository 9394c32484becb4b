using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>Reads an HLS WebVTT rendition with ffmpeg's HLS demuxer (so it must parse as HLS) and returns its distinct cues.</summary>
internal static partial class SubtitlePlaylist
{
    public static async Task<List<(double StartMs, double EndMs, string Text)>> ReadWithFfmpegAsync(Uri playlist)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-protocol_whitelist", "http,tcp", "-i", playlist.ToString(), "-f", "webvtt", "-"])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(process.ExitCode == 0, $"ffmpeg could not read {playlist}: {await errors}");
        var cues = new List<(double, double, string)>();
        foreach (Match m in CueBlock().Matches(output.Replace("\r", "", StringComparison.Ordinal)))
        {
            cues.Add((Ms(m.Groups["a"].Value), Ms(m.Groups["b"].Value), m.Groups["t"].Value));
        }

        // A cue across a segment boundary is in both segments; a player shows it once.
        return [.. cues.Distinct()];
    }

    private static double Ms(string time)
    {
        var parts = time.Split(':');
        var seconds = double.Parse(parts[^1], CultureInfo.InvariantCulture);
        var minutes = int.Parse(parts[^2], CultureInfo.InvariantCulture);
        var hours = parts.Length == 3 ? int.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        return Math.Round((hours * 3600 + minutes * 60 + seconds) * 1000);
    }

    [GeneratedRegex(@"(?<a>[\d:.]+) --> (?<b>[\d:.]+)\n(?<t>[^\n]+)")]
    private static partial Regex CueBlock();
}
