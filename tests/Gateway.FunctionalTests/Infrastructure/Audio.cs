using System.Runtime.InteropServices;

namespace Gateway.FunctionalTests.Infrastructure;

internal static class Audio
{
    /// <summary>PCM16 16 kHz mono bytes of a quiet tone.</summary>
    public static byte[] Pcm16(int milliseconds, double frequency = 440, double amplitude = 0.1)
    {
        var samples = new short[16 * milliseconds];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * frequency * i / 16_000));
        }

        return MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();
    }
}
