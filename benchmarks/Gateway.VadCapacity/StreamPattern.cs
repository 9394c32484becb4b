namespace Gateway.VadCapacity;

/// <summary>
/// The audio every simulated stream loops over, 10 s long. Silero's cost does not depend on the content, so
/// without the gate any audio will do; with the gate only the energy matters: "talk" is noise-excited tones at
/// about -28 dBFS RMS, the rest is noise at about -71 dBFS RMS (a quiet room through a decent microphone).
/// </summary>
internal static class StreamPattern
{
    public const int SampleRate = 16_000;
    public const int Length = 10 * SampleRate;

    public static short[] Create(double talkFraction)
    {
        var random = new Random(1234);
        var audio = new short[Length];
        var talk = (int)(Length * talkFraction);
        for (var i = 0; i < audio.Length; i++)
        {
            var noise = (random.NextDouble() - 0.5) * 2;
            double sample;
            if (i < talk)
            {
                var t = (double)i / SampleRate;
                sample = (0.06 * Math.Sin(2 * Math.PI * 180 * t)) + (0.03 * Math.Sin(2 * Math.PI * 720 * t)) + (0.02 * noise);
                sample *= 0.6 + (0.4 * Math.Sin(2 * Math.PI * 4 * t)); // syllable-rate envelope
            }
            else
            {
                sample = 0.0005 * noise;
            }

            audio[i] = (short)Math.Clamp(sample * 32768, short.MinValue, short.MaxValue);
        }

        return audio;
    }
}
