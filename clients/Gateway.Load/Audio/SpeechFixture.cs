using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gateway.Load.Audio;

/// <summary>
/// A 16 kHz mono PCM16 WAV with a JSON of known speech spans and their text (tests/fixtures/vad/three_utterances.*).
/// </summary>
internal sealed class SpeechFixture
{
    private SpeechFixture(short[] samples, IReadOnlyList<FixtureUtterance> utterances)
    {
        Samples = samples;
        Utterances = utterances;
    }

    public short[] Samples { get; }

    public IReadOnlyList<FixtureUtterance> Utterances { get; }

    /// <summary>The fixture shipped next to the tool (load-fixtures/three_utterances.wav + .json).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "load-fixtures", "three_utterances.wav");

    /// <summary>Loads <paramref name="wavPath"/> and the spans JSON beside it (same name, .json).</summary>
    public static SpeechFixture Load(string wavPath)
    {
        var samples = ReadWav(wavPath);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(wavPath, ".json")));
        var utterances = new List<FixtureUtterance>();
        foreach (var span in json.RootElement.GetProperty("spans").EnumerateArray())
        {
            var words = span.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            utterances.Add(new FixtureUtterance(words, span.GetProperty("startSample").GetInt32(), span.GetProperty("endSample").GetInt32()));
        }

        if (utterances.Count == 0)
        {
            throw new InvalidDataException($"{wavPath}: the spans JSON lists no utterance.");
        }

        return new SpeechFixture(samples, utterances);
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
                return MemoryMarshal.Cast<byte, short>(bytes.AsSpan(offset + 8, Math.Min(size, bytes.Length - offset - 8))).ToArray();
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk (expected 16 kHz mono PCM16 WAV).");
    }
}
