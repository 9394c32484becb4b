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

    /// <summary>The 90 kHz MPEG-2 time a WebVTT segment's <c>X-TIMESTAMP-MAP</c> gives to its cue time 0 (RFC 8216 §3.5); fails without one.</summary>
    public static long TimestampMapAtZero(string segment)
    {
        var header = segment[..segment.IndexOf("\n\n", StringComparison.Ordinal)];
        var map = TimestampMap().Match(header);
        Assert.True(map.Success, $"no X-TIMESTAMP-MAP in the segment's header: {header}");
        return long.Parse(map.Groups["ts"].Value, CultureInfo.InvariantCulture) - (long)(Ms(map.Groups["local"].Value) * 90);
    }

    /// <summary>The media start time of an HLS playlist on disk from its first segment (a live one too), as ffprobe reads it: the origin's own timeline.</summary>
    public static async Task<double> MediaStartSecondsAsync(string playlistFile)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-live_start_index", "0", "-show_entries", "format=start_time", "-of", "csv=p=0", playlistFile])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(process.ExitCode == 0, $"ffprobe could not read {playlistFile}: {await errors}");
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
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

    [GeneratedRegex(@"^X-TIMESTAMP-MAP=MPEGTS:(?<ts>\d+),LOCAL:(?<local>[\d:.]+)$", RegexOptions.Multiline)]
    private static partial Regex TimestampMap();
}
