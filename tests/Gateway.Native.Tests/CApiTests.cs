using FunAsr.Simulator;
using FunAsr.Simulator.Faults;

namespace Gateway.Native.Tests;

/// <summary>The C test program (c/funasr_test.c) against the simulator; every CHECK line it prints must be "ok".</summary>
[Collection(NativeCollection.Name)]
public sealed class CApiTests(NativeLibraryFixture native)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 120_000)]
    public async Task EveryFunction_AgainstSimulator_TextMetricsProfileAndReinit()
    {
        var output = await RunAsync("api", native.Simulator.Url.ToString(), native.PcmPath, native.WavPath, SpeechFixture.ExpectedText);
        Assert.Contains("ok   funasr_pcm_file wav", output);
    }

    [Fact(Timeout = 120_000)]
    public async Task Pcm_64ThreadsAtOnce_EveryTextRightOnePoolPerUrl()
    {
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions());
        var output = await RunAsync("concurrent", sim.Url.ToString(), native.PcmPath, SpeechFixture.ExpectedText, "64", "3");
        Assert.Contains("ok   64 threads x 3 calls: 192 right texts", output);
        Assert.Equal(192, sim.Stats.UtterancesCompleted);
        Assert.True(sim.Stats.ConnectionsOpened <= 64, $"{sim.Stats.ConnectionsOpened} connections for 64 threads");
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Fact(Timeout = 120_000)]
    public async Task BadArguments_NullPointersBadUrlsEmptyAudioUnreachable_DocumentedCodes()
    {
        var output = await RunAsync("errors", native.Simulator.Url.ToString(), NativeLibraryFixture.UnreachableUrl(), native.PcmPath);
        Assert.Contains("ok   unreachable URL", output);
    }

    [Fact(Timeout = 120_000)]
    public async Task ServerDropsConnectionMidUtterance_ConnectionLostThenNextRequestSucceeds()
    {
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions());
        sim.Faults.DropNextUtterances(1);
        await RunAsync("fault", sim.Url.ToString(), native.PcmPath, "10");
        Assert.Equal(1, sim.Stats.FaultsInjected.Values.Sum());
    }

    [Fact(Timeout = 120_000)]
    public async Task ServerNeverSendsFinal_ResultTimeoutCountedAsTimeout()
    {
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions());
        sim.Faults.SilenceNextFinals(1);
        await RunAsync("fault", sim.Url.ToString(), native.PcmPath, "11", "timeout.final_ms=700");
    }

    [Fact(Timeout = 120_000)]
    public async Task ServerRefusesUpgrade_HandshakeFailed()
    {
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions());
        sim.Faults.RefuseNextConnections(1, RefuseMode.RejectUpgrade);
        await RunAsync("fault", sim.Url.ToString(), native.PcmPath, "9");
    }

    [Fact(Timeout = 120_000)]
    public async Task Wss_SelfSignedRejectedThenPinnedAndAcceptAny_Transcribe()
    {
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions { Tls = true });
        await RunAsync("tls", sim.Url.ToString(), native.PcmPath, SpeechFixture.ExpectedText, sim.CertificateSha256Thumbprint!);
    }

    [Fact(Timeout = 120_000)]
    public async Task IdleEvictOption_IdleConnectionClosedByThePool_NextRequestConnectsAnew()
    {
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions());
        using var deadline = new CancellationTokenSource(Timeout);
        var psi = new System.Diagnostics.ProcessStartInfo(native.TestProgram) { RedirectStandardInput = true, RedirectStandardOutput = true, WorkingDirectory = native.LibraryDirectory };
        foreach (var a in new[] { "evict", sim.Url.ToString(), native.PcmPath, SpeechFixture.ExpectedText })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var output = new System.Text.StringBuilder();
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(deadline.Token)) is not null && line != "idle")
            {
                output.AppendLine(line);
            }

            Assert.True(line == "idle", output.ToString());
            Assert.Equal(1, sim.Stats.ConnectionsOpened);
            // The pool's sweeper (every second here) closes the connection idle for over 1 s; the server sees it go.
            await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpen == 0, deadline.Token);
            await process.StandardInput.WriteLineAsync("go");
            await process.StandardInput.FlushAsync(deadline.Token);
            output.Append(await process.StandardOutput.ReadToEndAsync(deadline.Token));
            await process.WaitForExitAsync(deadline.Token);
            Assert.True(process.ExitCode == 0, output.ToString());
            Assert.Contains("\n0 failed", output.ToString());
            Assert.Equal(2, sim.Stats.ConnectionsOpened);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var output = await Tool.RunCheckedAsync(native.TestProgram, args, native.LibraryDirectory, Timeout);
        Assert.DoesNotContain("FAIL", output);
        Assert.Contains("\n0 failed", output);
        return output;
    }
}
