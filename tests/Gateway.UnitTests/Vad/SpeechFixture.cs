using System.Runtime.InteropServices;
using System.Text.Json;
using NAudio.Wave;

namespace Gateway.UnitTests.Vad;

/// <summary>A 16 kHz mono PCM16 WAV from tests/fixtures/vad and, for speech fixtures, its known speech spans.</summary>
internal sealed class SpeechFixture
{
    private SpeechFixture(short[] samples, IReadOnlyList<(long Start, long End)> spans)
    {
        Samples = samples;
        Spans = spans;
    }

    public short[] Samples { get; }

    public IReadOnlyList<(long Start, long End)> Spans { get; }

    public static SpeechFixture Load(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad");
        var samples = ReadWav(Path.Combine(directory, name + ".wav"));
        var spans = new List<(long, long)>();
        var json = Path.Combine(directory, name + ".json");
        if (File.Exists(json))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(json));
            foreach (var span in document.RootElement.GetProperty("spans").EnumerateArray())
            {
                spans.Add((span.GetProperty("startSample").GetInt64(), span.GetProperty("endSample").GetInt64()));
            }
        }

        return new SpeechFixture(samples, spans);
    }

    private static short[] ReadWav(string path)
    {
        using var reader = new WaveFileReader(path);
        Assert.Equal(new WaveFormat(16_000, 16, 1), reader.WaveFormat);
        var samples = new short[reader.Length / 2];
        reader.ReadExactly(MemoryMarshal.AsBytes(samples.AsSpan()));
        return samples;
    }
}
