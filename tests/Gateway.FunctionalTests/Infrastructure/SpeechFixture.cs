using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
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
        var dir = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad");
        var samples = ReadWav(Path.Combine(dir, name + ".wav"));
        using var spans = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".json")));
        var words = new List<string>();
        var known = new List<(long, long)>();
        ushort sequence = 1;
        foreach (var span in spans.RootElement.GetProperty("spans").EnumerateArray())
        {
            var start = span.GetProperty("startSample").GetInt64();
            var end = span.GetProperty("endSample").GetInt64();
            known.Add((start, end));
            var spanWords = span.GetProperty("text").GetString()!.Split(' ');
            var per = (end - start) / spanWords.Length;
            for (var i = 0; i < spanWords.Length; i++)
            {
                Watermark.Embed(samples.AsSpan((int)(start + i * per), (int)per), sequence++, tag + spanWords[i]);
                words.Add(tag + spanWords[i]);
            }
        }

        return new SpeechFixture(samples, words, known);
    }

    private static short[] ReadWav(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            if (id == "data")
            {
                return MemoryMarshal.Cast<byte, short>(bytes.AsSpan(offset + 8, size)).ToArray();
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk");
    }
}
