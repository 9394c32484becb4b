using System.Text;

namespace Gateway.Load.Audio;

/// <summary>
/// Writes words into the least significant bit of PCM16 samples, the layout the FunASR simulator decodes
/// (docs/simulator.md, "Text derived from the audio"). One frame, MSB first, one bit per sample:
/// <code>
/// | sync 0xA5C3 (16) | sequence (16) | length L (8, 1..32) | L bytes UTF-8 word | XOR of the L bytes (8) |
/// </code>
/// Frames repeat back-to-back over the word's samples; the last one may be cut short.
/// </summary>
/// <remarks>Reimplemented from the documented layout so the load tool does not depend on the test project.</remarks>
internal static class Watermark
{
    public const ushort SyncWord = 0xA5C3;
    public const int MaxWordBytes = 32;

    /// <summary>Samples one frame of <paramref name="word"/> occupies.</summary>
    public static int FrameSamples(string word) => 48 + (8 * Encoding.UTF8.GetByteCount(word));

    public static void Embed(Span<short> samples, ushort sequence, string word)
    {
        var text = Encoding.UTF8.GetBytes(word);
        if (text.Length is 0 or > MaxWordBytes || word.Any(c => c <= ' '))
        {
            throw new ArgumentException($"'{word}' cannot be carried by a watermark frame (1..32 UTF-8 bytes, no spaces).", nameof(word));
        }

        var bits = new byte[FrameSamples(word)];
        var n = 0;
        void Add(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                bits[n++] = (byte)((value >> i) & 1);
            }
        }

        Add(SyncWord, 16);
        Add(sequence, 16);
        Add(text.Length, 8);
        byte xor = 0;
        foreach (var b in text)
        {
            Add(b, 8);
            xor ^= b;
        }

        Add(xor, 8);
        if (samples.Length < bits.Length)
        {
            throw new ArgumentException($"A frame of '{word}' needs {bits.Length} samples; the span has {samples.Length}.", nameof(samples));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)((samples[i] & ~1) | bits[i % bits.Length]);
        }
    }
}
