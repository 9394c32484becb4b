using System.Runtime.InteropServices;
using NAudio.Wave;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>16 kHz mono PCM16 WAV files for tests, written by NAudio's <see cref="WaveFileWriter"/> (the one WAV writer).</summary>
internal static class Wav
{
    public static readonly WaveFormat Format = new(16_000, 16, 1);

    public static byte[] Bytes(ReadOnlySpan<short> samples)
    {
        using var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, Format))
        {
            writer.Write(MemoryMarshal.AsBytes(samples));
        }

        return memory.ToArray();
    }

    public static string Write(string path, ReadOnlySpan<short> samples)
    {
        using var writer = new WaveFileWriter(path, Format);
        writer.Write(MemoryMarshal.AsBytes(samples));
        return path;
    }
}
