using System.Buffers.Binary;
using FunAsr.Simulator.Content;

namespace Gateway.Native.Tests;

/// <summary>
/// A short utterance the simulator recognises: two sentences of watermarked words (docs/simulator.md), 16 kHz
/// mono PCM16, with a pause longer than the simulator's 300 ms endpoint between the sentences.
/// </summary>
internal static class SpeechFixture
{
    /// <summary>What the library returns for it: the two 2pass-offline sentences joined by one space.</summary>
    public const string ExpectedText = "hello world. native library.";

    private static readonly string[][] Sentences = [["hello", "world"], ["native", "library"]];

    public static byte[] Pcm()
    {
        const int wordMs = 160, gapMs = 60, sentenceGapMs = 450, leadMs = 100;
        var random = new Random(5);
        var ms = leadMs + Sentences.Sum(s => (s.Length * (wordMs + gapMs)) + sentenceGapMs);
        var samples = new short[ms * 16];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)random.Next(-300, 300);
        }

        var at = leadMs * 16;
        ushort sequence = 1;
        foreach (var sentence in Sentences)
        {
            foreach (var word in sentence)
            {
                Watermark.Embed(samples.AsSpan(at, wordMs * 16), sequence++, word);
                at += (wordMs + gapMs) * 16;
            }

            at += sentenceGapMs * 16;
        }

        return Watermark.ToBytes(samples);
    }

    /// <summary>The same samples in a RIFF/WAVE file (PCM, 16 kHz, mono, 16-bit), with an extra LIST chunk before "data" as real writers add.</summary>
    public static byte[] Wav(byte[] pcm)
    {
        var list = "LIST\x04\0\0\0INFO"u8;
        var wav = new byte[12 + 24 + list.Length + 8 + pcm.Length];
        var w = wav.AsSpan();
        "RIFF"u8.CopyTo(w);
        BinaryPrimitives.WriteUInt32LittleEndian(w[4..], (uint)(wav.Length - 8));
        "WAVE"u8.CopyTo(w[8..]);
        "fmt "u8.CopyTo(w[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(w[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(w[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(w[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(w[24..], 16_000);
        BinaryPrimitives.WriteUInt32LittleEndian(w[28..], 32_000);
        BinaryPrimitives.WriteUInt16LittleEndian(w[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(w[34..], 16);
        list.CopyTo(w[36..]);
        var data = 36 + list.Length;
        "data"u8.CopyTo(w[data..]);
        BinaryPrimitives.WriteUInt32LittleEndian(w[(data + 4)..], (uint)pcm.Length);
        pcm.CopyTo(w[(data + 8)..]);
        return wav;
    }
}
