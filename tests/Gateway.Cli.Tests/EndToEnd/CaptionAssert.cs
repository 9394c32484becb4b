using System.Text.RegularExpressions;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary>What correct captions of the three-utterance fixture look like.</summary>
internal static partial class CaptionAssert
{
    /// <summary>One cue per known speech span, each within the VAD's tolerance (±100 ms, plus pre/post-roll) and <paramref name="slackMs"/> for codec delay.</summary>
    public static void CuesCoverSpans(SpeechFixture fixture, IReadOnlyList<SubRip.Cue> cues, double slackMs = 0)
    {
        Assert.Equal(fixture.Spans.Count, cues.Count);
        for (var i = 0; i < cues.Count; i++)
        {
            var (start, end) = fixture.Spans[i];
            Assert.InRange(cues[i].StartMs, start / 16.0 - 250 - 100 - slackMs, start / 16.0 + 100 + slackMs);
            Assert.InRange(cues[i].EndMs, end / 16.0 - 100 - slackMs, end / 16.0 + 150 + 100 + slackMs);
        }
    }

    /// <summary>Lossless path: the cues' words are exactly the fixture's words, in order, each utterance in its own cue.</summary>
    public static void CuesAreFixtureWords(SpeechFixture fixture, IReadOnlyList<SubRip.Cue> cues)
    {
        CuesCoverSpans(fixture, cues);
        Assert.Equal(fixture.Words, cues.SelectMany(c => c.Text.Split(' ')).Select(w => w.TrimEnd('.')));
        Assert.Equal("The quick brown fox jumps over the dog.", cues[0].Text);
    }

    /// <summary>Lossy path: the simulator's per-second block tokens (docs/simulator.md), at least one per cue.</summary>
    public static void CuesAreBlockTokens(IReadOnlyList<SubRip.Cue> cues) =>
        Assert.All(cues, c => Assert.Matches(BlockTokens(), c.Text));

    [GeneratedRegex(@"^blk[0-9a-f]{4}( blk[0-9a-f]{4})*\.?$")]
    private static partial Regex BlockTokens();
}
