using System.Runtime.InteropServices;
using System.Text.Json;
using NAudio.Wave;

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

    /// <summary>The samples of a 16 kHz mono PCM16 WAV (NAudio reads the RIFF chunks).</summary>
    public static short[] ReadWav(string path)
    {
        using var reader = new WaveFileReader(path);
        if (reader.WaveFormat is not { Encoding: WaveFormatEncoding.Pcm, SampleRate: 16_000, Channels: 1, BitsPerSample: 16 })
        {
            throw new InvalidDataException($"{path} is {reader.WaveFormat}; expected 16 kHz mono PCM16 WAV.");
        }

        var samples = new short[reader.Length / 2];
        reader.ReadExactly(MemoryMarshal.AsBytes(samples.AsSpan()));
        return samples;
    }
}
