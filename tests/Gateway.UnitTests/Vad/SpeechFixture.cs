using System.Buffers.Binary;
using System.Text.Json;

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
        var samples = ReadWav(File.ReadAllBytes(Path.Combine(directory, name + ".wav")));
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

    private static short[] ReadWav(ReadOnlySpan<byte> wav)
    {
        // RIFF header, then chunks; only the PCM16 mono 16 kHz "data" chunk matters here.
        Assert.Equal("RIFF"u8.ToArray(), wav[..4].ToArray());
        var offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var id = wav.Slice(offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(offset + 4, 4));
            if (id.SequenceEqual("fmt "u8))
            {
                Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(offset + 10, 2)));
                Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(offset + 12, 4)));
            }
            else if (id.SequenceEqual("data"u8))
            {
                var data = wav.Slice(offset + 8, size);
                var samples = new short[size / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data.Slice(i * 2, 2));
                }

                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException("No data chunk.");
    }
}
