using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Cli.Tests.Infrastructure;

/// <summary>A strict reader of the SRT and VTT files the CLI writes, so the tests check the format, not just the text.</summary>
internal static partial class SubRip
{
    public sealed record Cue(int Number, double StartMs, double EndMs, string Text);

    public static List<Cue> ParseSrt(string text) => Parse(text, ',');

    public static List<Cue> ParseVtt(string text)
    {
        Assert.StartsWith("WEBVTT\n\n", text, StringComparison.Ordinal);
        return Parse(text["WEBVTT\n\n".Length..], '.');
    }

    private static List<Cue> Parse(string text, char separator)
    {
        var cues = new List<Cue>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(3, lines.Length);
            var times = Times().Match(lines[1]);
            Assert.True(times.Success, $"bad cue timing line: {lines[1]}");
            Assert.Equal(separator, times.Groups["s1"].Value[0]);
            Assert.Equal(separator, times.Groups["s2"].Value[0]);
            cues.Add(new Cue(int.Parse(lines[0], CultureInfo.InvariantCulture), Ms(times, "a"), Ms(times, "b"), lines[2]));
        }

        Assert.Equal(Enumerable.Range(1, cues.Count), cues.Select(c => c.Number));
        return cues;
    }

    private static double Ms(Match m, string p) =>
        int.Parse(m.Groups[p + "h"].Value, CultureInfo.InvariantCulture) * 3_600_000.0
        + int.Parse(m.Groups[p + "m"].Value, CultureInfo.InvariantCulture) * 60_000.0
        + int.Parse(m.Groups[p + "s"].Value, CultureInfo.InvariantCulture) * 1000.0
        + int.Parse(m.Groups[p + "ms"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<ah>\d{2,}):(?<am>\d{2}):(?<as>\d{2})(?<s1>[,.])(?<ams>\d{3}) --> (?<bh>\d{2,}):(?<bm>\d{2}):(?<bs>\d{2})(?<s2>[,.])(?<bms>\d{3})$")]
    private static partial Regex Times();
}
