using Gateway.Core.Results;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Jobs;

internal static class JobAssert
{
    /// <summary>
    /// One sentence per known speech span of the fixture, its start and end within the tolerance of the span's;
    /// <paramref name="earlyStartMs"/> allows for a sentence the upstream dates from its utterance's start (pre-roll included).
    /// </summary>
    public static void SentencesNearSpans(SpeechFixture fixture, IReadOnlyList<Sentence> sentences, double toleranceMs, int repeats = 1, double earlyStartMs = 0, double earlyEndMs = 0)
    {
        Assert.Equal(fixture.Spans.Count * repeats, sentences.Count);
        for (var i = 0; i < sentences.Count; i++)
        {
            var (start, end) = fixture.Spans[i % fixture.Spans.Count];
            var offset = (i / fixture.Spans.Count) * (long)fixture.Samples.Length;
            Assert.InRange((sentences[i].StartSample - start - offset) / 16.0, -toleranceMs - earlyStartMs, toleranceMs);
            Assert.InRange((sentences[i].EndSample - end - offset) / 16.0, -toleranceMs - earlyEndMs, toleranceMs);
        }
    }
}
