using System.Text.Json;
using Gateway.Cli.Tests.EndToEnd;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.Reconnect;

/// <summary>
/// gateway-cli through a <see cref="DroppingProxy"/> that resets its TCP connections (no close handshake) while it
/// streams: the CLI reconnects with its resume token, resends from the last ack and reports the finals it has, so
/// the SRT, VTT and JSON it writes hold every fixture word exactly once; or it gives up with exit code 8.
/// </summary>
public sealed class ReconnectTests
{
    private const long MidPhraseBytes = 28_000 * 2;   // inside "The quick brown fox ..." (samples 9,806-46,328)
    private const long AfterFirstFinalBytes = 200_000; // ~100,000 samples: the first two finals are out, "Seven hundred streams" not yet

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_ResetMidPhraseThenWhileTheNetworkStaysDown_EveryWordOnceInSrtVttAndJson()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        using var dir = new TempDirectory();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var cli = CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--speed", "3", "-s", proxy.Through(gateway.Http).ToString(),
            "--srt", dir.File("out.srt"), "--vtt", dir.File("out.vtt"), "--json", dir.File("out.json"));
        await WhileRunningAsync(cli, proxy.HoldWhenUpstreamReachesAsync(MidPhraseBytes, deadline.Token));
        proxy.ResetAll(holdNextAt: AfterFirstFinalBytes);
        await WhileRunningAsync(cli, proxy.HoldWhenUpstreamReachesAsync(AfterFirstFinalBytes, deadline.Token));
        proxy.Refusing = true; // the network stays down (set first: no attempt slips in between): the CLI's attempts fail and it backs off
        proxy.ResetAll();
        await Task.Delay(TimeSpan.FromSeconds(1.5), deadline.Token); // how long the network is down is what this test is about
        proxy.Refusing = false;
        var (exit, output) = await cli;

        Assert.True(exit == 0, output);
        Assert.Equal(2, CountOf(output, "connection lost"));
        Assert.Contains("reconnecting… attempt", output);
        Assert.Equal(2, CountOf(output, "resumed session"));
        var fixture = SpeechFixture.ThreeUtterances;
        CaptionAssert.CuesAreFixtureWords(fixture, SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt"))));
        CaptionAssert.CuesAreFixtureWords(fixture, SubRip.ParseVtt(await File.ReadAllTextAsync(dir.File("out.vtt"))));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("out.json")));
        var ids = json.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("segment_id").GetInt64()).ToList();
        Assert.Equal(fixture.Spans.Count, ids.Count);
        Assert.Equal(ids.Distinct().Order(), ids);
        Assert.Equal("completed", json.RootElement.GetProperty("outcome").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Mic_ResetMidPhrase_ResumesAndEveryWordOnce()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        using var dir = new TempDirectory();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        // A live device at 3x real time (lavfi's arealtime paces it as a capture device is paced).
        var cli = CliRunner.RunAsync("mic", "--input-format", "lavfi", "--device", $"amovie={Media.WatermarkedWav(dir)},arealtime=speed=3",
            "-s", proxy.Through(gateway.Http).ToString(), "--srt", dir.File("out.srt"));
        await WhileRunningAsync(cli, proxy.ResetWhenUpstreamReachesAsync(MidPhraseBytes, deadline.Token));
        var (exit, output) = await cli;

        Assert.True(exit == 0, output);
        Assert.Contains("reconnecting…", output);
        CaptionAssert.CuesAreFixtureWords(SpeechFixture.ThreeUtterances, SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt"))));
    }

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_NetworkDownLongerThanTheWindow_GivesUpWithExitCode8AndWritesWhatItHas()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:ResumeWindow"] = "00:00:02" });
        await using var proxy = new DroppingProxy(gateway.Http);
        using var dir = new TempDirectory();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var cli = CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--speed", "3", "-s", proxy.Through(gateway.Http).ToString(),
            "--srt", dir.File("out.srt"), "--json", dir.File("out.json"));
        await WhileRunningAsync(cli, proxy.HoldWhenUpstreamReachesAsync(AfterFirstFinalBytes, deadline.Token));
        proxy.Refusing = true;
        proxy.ResetAll();
        var (exit, output) = await cli;

        Assert.True(exit == ExitCodes.ResumeFailed, output);
        Assert.Contains("could not reconnect within the 2 s resume window", output);
        var cues = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt")));
        Assert.Equal("The quick brown fox jumps over the dog.", cues[0].Text);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("out.json")));
        Assert.Equal("resume_failed", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(8, json.RootElement.GetProperty("exit_code").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_ReconnectReachesAGatewayThatNeverIssuedTheToken_RefusedWithExitCode8()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var other = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        using var dir = new TempDirectory();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var cli = CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--speed", "3", "-s", proxy.Through(gateway.Http).ToString(), "--srt", dir.File("out.srt"));
        await WhileRunningAsync(cli, proxy.HoldWhenUpstreamReachesAsync(MidPhraseBytes, deadline.Token));
        proxy.Retarget(other.Http);
        proxy.ResetAll();
        var (exit, output) = await cli;

        Assert.True(exit == ExitCodes.ResumeFailed, output);
        Assert.Contains("the gateway refused to resume the session (resume_unknown)", output);
    }

    /// <summary>Awaits a proxy step; when it fails (the CLI ended or stalled first), the failure carries what the CLI printed.</summary>
    private static async Task WhileRunningAsync(Task<(int ExitCode, string Output)> cli, Task step)
    {
        try
        {
            await step;
        }
        catch (OperationCanceledException)
        {
            var (exit, output) = await cli;
            Assert.Fail($"the proxy step did not happen before the deadline; gateway-cli exited {exit}:\n{output}");
        }
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
