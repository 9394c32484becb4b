namespace Gateway.Native.Tests;

/// <summary>
/// memcheck on the C test program: no invalid read, write or free and no definitely-lost block anywhere in the
/// process. What this can and cannot see is in docs/native.md (Memory checking).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed class ValgrindTests(NativeLibraryFixture native)
{
    [Theory(Timeout = 300_000)]
    [InlineData("api")]
    [InlineData("errors")]
    [InlineData("concurrent")]
    public async Task Memcheck_CTestScenario_NoErrorsNoDefiniteLeaks(string scenario)
    {
        var (directory, program) = await native.ValgrindBuildAsync();
        string[] args = scenario switch
        {
            "api" => ["api", native.Simulator.Url.ToString(), native.PcmPath, native.WavPath, SpeechFixture.ExpectedText],
            "errors" => ["errors", native.Simulator.Url.ToString(), NativeLibraryFixture.UnreachableUrl(), native.PcmPath],
            _ => ["concurrent", native.Simulator.Url.ToString(), native.PcmPath, SpeechFixture.ExpectedText, "8", "2"],
        };
        var r = await Tool.RunAsync("valgrind", ["--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite", "--num-callers=30", program, .. args], directory, TimeSpan.FromMinutes(4));
        var report = $"--- stdout\n{r.StandardOutput}\n--- valgrind\n{r.StandardError}";
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{report}");
        Assert.Contains("ERROR SUMMARY: 0 errors", r.StandardError);
        Assert.Contains("definitely lost: 0 bytes in 0 blocks", r.StandardError);
        Assert.Contains("\n0 failed", r.StandardOutput);
    }
}
