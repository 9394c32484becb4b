using Gateway.Load.Audio;

namespace Gateway.Load.Ingest;

/// <summary>
/// The audio every loopback source plays: the fixture's utterances back to back with silence (speech is
/// <c>talkRatio</c> of it), each word watermarked with a token unique in the program, and when each word ends
/// (samples from the program's start). A final's tokens say which words it holds, and so when they were spoken.
/// </summary>
internal sealed class IngestProgram
{
    private readonly Dictionary<string, (int Index, int EndSample)> _words = new(StringComparer.Ordinal);

    private IngestProgram(short[] samples) => Samples = samples;

    public short[] Samples { get; }

    public int WordCount => _words.Count;

    public static IngestProgram Build(SpeechFixture fixture, TimeSpan length, double talkRatio, int endpointSilenceMs)
    {
        var factory = new UtteranceFactory(fixture, talkRatio, (endpointSilenceMs + 1000) * 16, 0);
        var target = (int)(length.TotalSeconds * 16_000);
        var parts = new List<Utterance>();
        var lead = 16_000; // 1 s of silence first
        var total = lead;
        while (total < target)
        {
            var u = factory.Next();
            parts.Add(u);
            total += u.Samples.Length;
        }

        var program = new IngestProgram(new short[total]);
        var at = lead;
        foreach (var u in parts)
        {
            u.Samples.CopyTo(program.Samples, at);
            var perWord = (u.SpeechEnd - u.SpeechStart) / u.Tokens.Count;
            for (var i = 0; i < u.Tokens.Count; i++)
            {
                program._words[u.Tokens[i]] = (program._words.Count, at + u.SpeechStart + ((i + 1) * perWord));
            }

            at += u.Samples.Length;
        }

        return program;
    }

    /// <summary>The word's place in the program and the sample where it ends; false for a token the program does not hold.</summary>
    public bool TryFind(string token, out int index, out int endSample)
    {
        var found = _words.TryGetValue(token.TrimEnd('.', ',', '?', '!'), out var word);
        (index, endSample) = word;
        return found;
    }
}
