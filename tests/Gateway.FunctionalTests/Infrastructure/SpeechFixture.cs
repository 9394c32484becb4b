using System.Runtime.InteropServices;
using FunAsr.Simulator.Content;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// Real speech (espeak-ng, tests/fixtures/vad) whose words are watermarked in the sample LSBs, so the FunASR
/// simulator "recognises" exactly the words whose audio reached it, once each and in order (docs/simulator.md).
/// </summary>
public sealed class SpeechFixture
{
    private SpeechFixture(short[] samples, IReadOnlyList<string> words, IReadOnlyList<(long Start, long End)> spans)
    {
        Samples = samples;
        Words = words;
        Spans = spans;
    }

    public short[] Samples { get; }

    /// <summary>Every word, in order, as the simulator will report it.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Known speech spans (sample positions).</summary>
    public IReadOnlyList<(long Start, long End)> Spans { get; }

    public byte[] Pcm16Bytes => MemoryMarshal.AsBytes(Samples.AsSpan()).ToArray();

    public static SpeechFixture ThreeUtterances { get; } = Load("three_utterances");

    /// <summary>The same speech with every word watermarked as <c>{tag}{word}</c>, so each speaker's words are told apart.</summary>
    public static SpeechFixture Tagged(string tag) => Load("three_utterances", tag);

    private static SpeechFixture Load(string name, string tag = "")
    {
        // The load tool's loader: one reader of the fixture WAV and its spans JSON.
        var loaded = Gateway.Load.Audio.SpeechFixture.Load(Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", name + ".wav"));
        var samples = loaded.Samples.ToArray();
        var words = new List<string>();
        var known = new List<(long, long)>();
        ushort sequence = 1;
        foreach (var utterance in loaded.Utterances)
        {
            known.Add((utterance.SpeechStart, utterance.SpeechEnd));
            var per = (utterance.SpeechEnd - utterance.SpeechStart) / utterance.Words.Count;
            for (var i = 0; i < utterance.Words.Count; i++)
            {
                Watermark.Embed(samples.AsSpan(utterance.SpeechStart + (i * per), per), sequence++, tag + utterance.Words[i]);
                words.Add(tag + utterance.Words[i]);
            }
        }

        return new SpeechFixture(samples, words, known);
    }
}
