using Gateway.FunctionalTests.Infrastructure;
using Gateway.Load.Ingest;
using Gateway.Load.Metrics;
using LoadFixture = Gateway.Load.Audio.SpeechFixture;

namespace Gateway.FunctionalTests.Load;

/// <summary>The load tool's ingest mode in process against a real gateway, simulator and ffmpeg: what docs/benchmarks.md's ingest numbers rest on.</summary>
public sealed class IngestLoadToolTests
{
    [Fact(Timeout = 120_000)]
    public async Task RunIngests_OneHlsOneLiveWav_EveryWordTracedToTheSourceAndTheFfmpegChildrenFound()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Outbound:AllowPrivateNetworks"] = "true", // the tool's sources are on loopback
            ["Ingests:InitialBackoff"] = "00:00:00.200",
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        var report = await IngestLoad.RunAsync(
            gateway.Http, ingests: 2, hlsShare: 0.5, window: TimeSpan.FromSeconds(12), settle: TimeSpan.FromSeconds(1), talkRatio: 0.5, endpointSilenceMs: 500,
            LoadFixture.Load(LoadFixture.DefaultPath), cliDll: null, metrics, TextWriter.Null, cts.Token);

        Assert.Equal(2, report.Running);
        Assert.Equal(0, report.FfmpegRestarts);
        Assert.Equal(2, report.FfmpegProcesses); // the gateway's two ffmpeg, not the origin's
        Assert.True(report.WordsCaptioned > 0, "no word captioned in the window");
        Assert.Equal(0, report.WordsMissed);
        Assert.True(report.LiveWavCaptionLatencyMs.Count > 0 && report.HlsCaptionLatencyMs.Count > 0, $"{report.LiveWavCaptionLatencyMs} {report.HlsCaptionLatencyMs}");
        // Traced to when the words were spoken: after the endpoint silence, and not absurdly late.
        Assert.InRange(report.LiveWavCaptionLatencyMs.P50!.Value, 500, 10_000);
        Assert.InRange(report.HlsCaptionLatencyMs.P50!.Value, 500, 20_000);
    }
}
