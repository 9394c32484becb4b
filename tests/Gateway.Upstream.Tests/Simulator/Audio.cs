using FunAsr.Simulator.Content;

namespace Gateway.Upstream.Tests.Simulator;

/// <summary>Speech-like PCM16 fixtures with watermarked words.</summary>
internal static class Audio
{
    public const int SamplesPerMs = 16;

    /// <summary>A word to embed: text and its duration in ms, followed by a pause.</summary>
    public readonly record struct Spoken(string Word, int Ms, int PauseMs = 60);

    /// <summary>
    /// Voiced-looking audio (a few harmonics with a syllable envelope and noise) for each word, near-silent noise
    /// for each pause, and the word's watermark frames over its voiced span. Sequence numbers start at
    /// <paramref name="firstSequence"/> and increase per word.
    /// </summary>
    public static short[] Speech(IReadOnlyList<Spoken> words, int leadMs = 100, ushort firstSequence = 1, int seed = 7)
    {
        var random = new Random(seed);
        var total = leadMs + words.Sum(w => w.Ms + w.PauseMs);
        var samples = new short[total * SamplesPerMs];
        Noise(samples.AsSpan(0, leadMs * SamplesPerMs), random, 30);
        var at = leadMs * SamplesPerMs;
        var sequence = firstSequence;
        foreach (var w in words)
        {
            var voiced = samples.AsSpan(at, w.Ms * SamplesPerMs);
            Voiced(voiced, random);
            Watermark.Embed(voiced, sequence++, w.Word);
            at += voiced.Length;
            Noise(samples.AsSpan(at, w.PauseMs * SamplesPerMs), random, 30);
            at += w.PauseMs * SamplesPerMs;
        }

        return samples;
    }

    /// <summary>Audio without any watermark: noise and tones only.</summary>
    public static short[] Unmarked(int ms, int seed = 11)
    {
        var random = new Random(seed);
        var samples = new short[ms * SamplesPerMs];
        Voiced(samples, random);
        return samples;
    }

    public static byte[] Bytes(short[] samples) => Watermark.ToBytes(samples);

    private static void Voiced(Span<short> span, Random random)
    {
        var f0 = 110 + random.Next(0, 90);
        for (var i = 0; i < span.Length; i++)
        {
            var t = i / 16000.0;
            var envelope = 0.5 - (0.5 * Math.Cos(2 * Math.PI * Math.Min(1.0, i / (double)span.Length)));
            var v = (Math.Sin(2 * Math.PI * f0 * t) + (0.5 * Math.Sin(2 * Math.PI * 2 * f0 * t)) + (0.25 * Math.Sin(2 * Math.PI * 3 * f0 * t))) * 6000 * envelope;
            span[i] = (short)Math.Clamp(v + random.Next(-200, 200), short.MinValue, short.MaxValue);
        }
    }

    private static void Noise(Span<short> span, Random random, int amplitude)
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (short)random.Next(-amplitude, amplitude);
        }
    }
}
