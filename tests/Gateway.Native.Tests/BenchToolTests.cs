namespace Gateway.Native.Tests;

/// <summary>funasr_bench builds against the library and prints every figure it promises (numbers are recorded in docs/benchmarks.md, not asserted).</summary>
[Collection(NativeCollection.Name)]
public sealed class BenchToolTests(NativeLibraryFixture native)
{
    [Fact(Timeout = 120_000)]
    public async Task Bench_TwoWavesOfFour_PrintsEveryFigureWithFullReuse()
    {
        await using var sim = await FunAsr.Simulator.FunAsrSimulator.StartAsync(new FunAsr.Simulator.SimulatorOptions());
        var output = await Tool.RunCheckedAsync(native.BenchProgram, [native.WavPath, sim.Url.ToString(), "4", "2"], null, TimeSpan.FromSeconds(90));
        foreach (var line in new[] { "wall time", "QPS", "P95", "P99", "fail rate        0.00 %", "timeout rate     0.00 %", "pool reuse rate  100.00 %", "wave spread      std", "client CPU", "allocated", "profile means us total" })
        {
            Assert.Contains(line, output);
        }

        // Warm-up (4) plus nothing else: the 3 waves (1 untimed) ran on the warmed connections.
        Assert.Equal(4, sim.Stats.ConnectionsOpened);
        Assert.Equal(12, sim.Stats.UtterancesCompleted);
    }
}
