using System.Buffers.Binary;
using System.Text;

namespace FunAsr.Simulator.Content;

/// <summary>
/// The audio watermark the simulator "recognises": words hidden in the least significant bit of
/// PCM16 samples (16 kHz mono, sample order), so a test can prove every audio byte arrived once and in order.
/// </summary>
/// <remarks>
/// One frame, MSB first, one bit per sample:
/// <code>
/// | sync 0xA5C3 (16) | sequence (16) | length L (8, 1..32) | L bytes UTF-8 word | XOR of the L bytes (8) |
/// </code>
/// Frames repeat back-to-back over the whole audio of one spoken word; the sequence number is the word
/// instance and increases within a stream. Audio without any frame is transcribed as one
/// <see cref="BlockToken"/> per full 16,000-sample block instead. Details: docs/simulator.md.
/// </remarks>
public static class Watermark
{
    /// <summary>The 16-bit sync word that starts every frame.</summary>
    public const ushort SyncWord = 0xA5C3;

    /// <summary>Longest word in bytes.</summary>
    public const int MaxWordBytes = 32;

    /// <summary>Samples per content block when the audio carries no watermark (one second at 16 kHz).</summary>
    public const int BlockSamples = 16_000;

    /// <summary>Bytes per content block (PCM16).</summary>
    public const int BlockBytes = BlockSamples * 2;

    internal const int HeaderBits = 16 + 16 + 8;

    /// <summary>Samples (bits) one frame of <paramref name="word"/> occupies.</summary>
    public static int FrameSamples(string word) => HeaderBits + (8 * WordBytes(word).Length) + 8;

    /// <summary>
    /// Writes frames of <paramref name="word"/> back-to-back into the LSBs of <paramref name="samples"/>,
    /// from its first sample to its last (the last frame may be cut short, which the decoder ignores).
    /// </summary>
    /// <exception cref="ArgumentException">The word is empty, longer than 32 UTF-8 bytes, or the span is shorter than one frame.</exception>
    public static void Embed(Span<short> samples, ushort sequence, string word)
    {
        var frame = BuildFrameBits(sequence, word);
        if (samples.Length < frame.Length)
        {
            throw new ArgumentException($"A frame of '{word}' needs {frame.Length} samples; the span has {samples.Length}.", nameof(samples));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)((samples[i] & ~1) | frame[i % frame.Length]);
        }
    }

    /// <summary>
    /// The content token of one full block without watermark: <c>blk</c> + 4 lowercase hex digits of the
    /// 16-bit FNV-1a hash of its bytes (32-bit FNV-1a, folded: <c>(h &gt;&gt; 16) ^ (h &amp; 0xFFFF)</c>).
    /// </summary>
    public static string BlockToken(ReadOnlySpan<byte> block)
    {
        var h = new Fnv1a();
        h.Append(block);
        return h.Token();
    }

    /// <summary>The tokens the simulator produces for watermark-free audio: one per full 16,000-sample block.</summary>
    public static IReadOnlyList<string> BlockTokens(ReadOnlySpan<byte> pcm)
    {
        var tokens = new List<string>();
        for (var offset = 0; offset + BlockBytes <= pcm.Length; offset += BlockBytes)
        {
            tokens.Add(BlockToken(pcm.Slice(offset, BlockBytes)));
        }

        return tokens;
    }

    /// <summary>Little-endian bytes of the samples, as they go on the wire.</summary>
    public static byte[] ToBytes(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    internal static byte[] WordBytes(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        if (word.Any(c => c <= ' '))
        {
            throw new ArgumentException($"'{word}' contains a space or control character; a frame carries one word.", nameof(word));
        }

        var bytes = Encoding.UTF8.GetBytes(word);
        if (bytes.Length > MaxWordBytes)
        {
            throw new ArgumentException($"'{word}' is {bytes.Length} UTF-8 bytes; at most {MaxWordBytes} fit a frame.", nameof(word));
        }

        return bytes;
    }

    private static byte[] BuildFrameBits(ushort sequence, string word)
    {
        var text = WordBytes(word);
        var bits = new List<byte>(FrameSamples(word));
        AddBits(bits, SyncWord, 16);
        AddBits(bits, sequence, 16);
        AddBits(bits, text.Length, 8);
        byte xor = 0;
        foreach (var b in text)
        {
            AddBits(bits, b, 8);
            xor ^= b;
        }

        AddBits(bits, xor, 8);
        return [.. bits];
    }

    private static void AddBits(List<byte> bits, int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            bits.Add((byte)((value >> i) & 1));
        }
    }
}
