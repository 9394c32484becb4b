using System.Globalization;
using FunAsr.Simulator;
using Gateway.Upstream;
using Gateway.Wave;

// Run: dotnet run -c Release --project benchmarks/Gateway.Wave -- --concurrency 32 --rounds 10
WaveOptions o;
try
{
    o = WaveOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

SimulatorHost? sim = null;
var url = o.Url;
if (url is null)
{
    sim = await FunAsrSimulator.StartAsync(new SimulatorOptions
    {
        Flavour = o.Flavour switch
        {
            FunAsrFlavours.Offline => SimulatorFlavour.CppOffline,
            FunAsrFlavours.Python => SimulatorFlavour.Python,
            _ => SimulatorFlavour.Cpp2Pass,
        },
        StepLatency = TimeSpan.FromMilliseconds(o.StepMs),
        FinalLatency = TimeSpan.FromMilliseconds(o.FinalMs),
    });
    url = sim.Url;
    Console.WriteLine($"{FunAsrSimulator.Banner} ({o.Flavour}) at {url}");
}

// Different audio per concurrent slot: 16 kHz PCM16, random samples (the simulator answers one token per second);
// or one raw PCM file for every utterance (--pcm), the same one funasr_bench sends, for a side-by-side run.
var audio = o.PcmFile is { } file
    ? [File.ReadAllBytes(file)]
    : Enumerable.Range(0, o.Concurrency).Select(i =>
    {
        var pcm = new byte[(int)(o.AudioSeconds * 32_000) & ~1];
        new Random(i).NextBytes(pcm);
        return pcm;
    }).ToArray();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Concurrency} concurrent utterances x {o.Rounds} rounds, {audio[0].Length / 32_000.0} s audio each, flavour {o.Flavour}, {Environment.ProcessorCount} CPUs"));
if (sim is not null)
{
    Console.WriteLine("(CPU us/req and B/req include the in-process simulator; pass --url for the client's cost alone)");
}
var (pool, stats) = await PoolWave.RunAsync(o, url, audio);
var naive = o.Naive ? await NaiveWave.RunAsync(o, url, audio) : null;

Console.WriteLine();
Console.WriteLine(WaveResult.Header);
Console.WriteLine(pool);
if (naive is not null)
{
    Console.WriteLine(naive);
}

Console.WriteLine();
Console.WriteLine("pool per-phase profile (mean / max, microseconds):");
foreach (var (phase, p) in stats.Phases)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase,-13} n={p.Count,7}  mean={p.MeanMicroseconds,10:F1}  max={p.MaxMicroseconds,10:F1}"));
}

if (sim is not null)
{
    Console.WriteLine();
    Console.WriteLine($"simulator: connections opened {sim.Stats.ConnectionsOpened}, utterances {sim.Stats.UtterancesCompleted}, protocol violations {sim.Stats.ViolationCount}, max concurrent utterances per connection {sim.Stats.MaxConcurrentUtterancesPerConnection}");
    await sim.DisposeAsync();
}

return pool.Failed == 0 ? 0 : 1;
