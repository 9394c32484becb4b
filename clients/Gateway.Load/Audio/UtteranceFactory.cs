namespace Gateway.Load.Audio;

/// <summary>
/// Makes the utterances of one stream: the fixture's utterances in turn, each word watermarked with a token unique
/// within the stream, followed by enough silence that speech is <c>talkRatio</c> of the audio.
/// </summary>
/// <remarks>Not thread-safe: one factory per stream.</remarks>
internal sealed class UtteranceFactory
{
    private const int MarginSamples = 4_000; // 250 ms of the fixture's own audio around each speech span
    private readonly SpeechFixture _fixture;
    private readonly double _talkRatio;
    private readonly int _minGapSamples;
    private int _next;
    private int _tokenCounter;
    private ushort _sequence;

    public UtteranceFactory(SpeechFixture fixture, double talkRatio, int minGapSamples, int firstUtterance)
    {
        _fixture = fixture;
        _talkRatio = talkRatio;
        _minGapSamples = minGapSamples;
        _next = firstUtterance % fixture.Utterances.Count;
    }

    /// <summary>Mean samples per utterance including its silence: the period of a stream's speech.</summary>
    public double MeanCycleSamples => _fixture.Utterances.Average(u => u.SpeechSamples + GapAfter(u, ClipLength(u)));

    /// <summary>The next utterance; <paramref name="withGap"/> false gives the clip only (wave mode).</summary>
    public Utterance Next(bool withGap = true)
    {
        var source = _fixture.Utterances[_next];
        _next = (_next + 1) % _fixture.Utterances.Count;
        var clipStart = Math.Max(0, source.SpeechStart - MarginSamples);
        var clipEnd = Math.Min(_fixture.Samples.Length, source.SpeechEnd + MarginSamples);
        var clipLength = clipEnd - clipStart;
        var gap = withGap ? GapAfter(source, clipLength) : 0;
        var samples = new short[clipLength + gap];
        _fixture.Samples.AsSpan(clipStart, clipLength).CopyTo(samples);

        if (_sequence > ushort.MaxValue - source.Words.Count - 1)
        {
            _sequence = 0; // only between utterances: the decoder's sequence state resets per upstream utterance
        }

        var tokens = new string[source.Words.Count];
        var perWord = source.SpeechSamples / source.Words.Count;
        var speechStart = source.SpeechStart - clipStart;
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = $"{source.Words[i]}_{++_tokenCounter}";
            Watermark.Embed(samples.AsSpan(speechStart + (i * perWord), perWord), ++_sequence, tokens[i]);
        }

        return new Utterance(samples, speechStart, speechStart + (perWord * tokens.Length), tokens);
    }

    private int ClipLength(FixtureUtterance u) =>
        Math.Min(_fixture.Samples.Length, u.SpeechEnd + MarginSamples) - Math.Max(0, u.SpeechStart - MarginSamples);

    private int GapAfter(FixtureUtterance u, int clipLength) =>
        Math.Max(_minGapSamples, (int)(u.SpeechSamples / _talkRatio) - clipLength);
}
