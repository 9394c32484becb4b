using System.Globalization;

namespace Gateway.Wave;

/// <summary>Command line of the wave tool.</summary>
internal sealed record WaveOptions(int Concurrency, int Rounds, double AudioSeconds, string Flavour, Uri? Url, bool Naive, int StepMs, int FinalMs, string? PcmFile = null)
{
    public const string Usage =
        "gateway-wave [--concurrency 32] [--rounds 10] [--audio-seconds 1] [--flavour funasr-2pass|funasr-offline|funasr-python]\n" +
        "             [--url ws://host:port/ (default: an in-process FunASR simulator)] [--no-naive] [--step-ms 2] [--final-ms 10]\n" +
        "             [--pcm file (raw 16 kHz mono PCM16 for every utterance; default: random audio per slot)]";

    public static WaveOptions Parse(string[] args)
    {
        var o = new WaveOptions(32, 10, 1, "funasr-2pass", null, true, 2, 10);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            o = args[i] switch
            {
                "--concurrency" or "-c" => o with { Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rounds" or "-r" => o with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--audio-seconds" => o with { AudioSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--flavour" => o with { Flavour = Next() },
                "--url" => o with { Url = new Uri(Next()) },
                "--no-naive" => o with { Naive = false },
                "--step-ms" => o with { StepMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--final-ms" => o with { FinalMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--pcm" => o with { PcmFile = Next() },
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }

        return o;
    }
}
