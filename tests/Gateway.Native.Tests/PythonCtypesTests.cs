namespace Gateway.Native.Tests;

/// <summary>libfunasr.so from Debian's Python through ctypes.</summary>
[Collection(NativeCollection.Name)]
public sealed class PythonCtypesTests(NativeLibraryFixture native)
{
    [Fact(Timeout = 120_000)]
    public async Task Ctypes_EveryCallShape_TranscribesFixture()
    {
        await using var sim = await FunAsr.Simulator.FunAsrSimulator.StartAsync(new FunAsr.Simulator.SimulatorOptions());
        var script = Path.Combine(AppContext.BaseDirectory, "python/ctypes_test.py");
        var output = await Tool.RunCheckedAsync("/usr/bin/python3", [script, native.LibraryPath, native.PcmPath, native.WavPath, sim.Url.ToString(), SpeechFixture.ExpectedText], null, TimeSpan.FromSeconds(90));
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains("\n0 failed", output);
        Assert.Equal(2, sim.Stats.UtterancesCompleted);
    }
}
