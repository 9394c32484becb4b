namespace Gateway.Native.Tests;

/// <summary>The FunASR DLL's koffi snippet, only the library file name changed, through libfunasr.so (koffi 3.3.4 from npm).</summary>
[Collection(NativeCollection.Name)]
public sealed class NodeKoffiTests(NativeLibraryFixture native)
{
    [Fact(Timeout = 120_000)]
    public async Task DllReadmeSnippet_OnlyFileNameChanged_TranscribesFixtureAndLeaksNothing()
    {
        var output = await Tool.RunCheckedAsync("node", ["koffi_test.js", native.LibraryPath, native.PcmPath, native.Simulator.Url.ToString(), SpeechFixture.ExpectedText], native.NodeDirectory, TimeSpan.FromSeconds(90));
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains($"ok   the snippet printed \"{SpeechFixture.ExpectedText}\"", output);
        Assert.Contains("ok   no string leaked", output);
        Assert.Contains("node koffi test passed", output);
    }
}
