using Gateway.FunctionalTests.Infrastructure;
using Gateway.Load.Idle;
using Gateway.Load.Metrics;
using Gateway.Load.Protocols;
using Gateway.Load.Streams;
using Gateway.Load.Wave;
using LoadFixture = Gateway.Load.Audio.SpeechFixture;

namespace Gateway.FunctionalTests.Load;

/// <summary>The load tool's engine (clients/Gateway.Load) in process against a real gateway and simulator.</summary>
public sealed class LoadToolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task RunStreams_ThreeStreams_EveryWordRecoveredAndLatenciesMeasured()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var settings = new StreamSettings(
            Duration: TimeSpan.FromSeconds(1), TalkRatio: 0.5, FrameMs: 50, Ramp: TimeSpan.FromMilliseconds(300),
            RealTimeFactor: 3, EndpointSilenceMs: 300, Seed: 7, DrainTimeout: TimeSpan.FromSeconds(30));
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        var report = await StreamLoad.RunAsync(
            gateway.Stream(), 3, settings, LoadFixture.Load(LoadFixture.DefaultPath), upstreamProcessingMs: 10, metrics, cts.Token);

        Assert.Equal(3, report.Connected);
        Assert.True(report.Utterances >= 3, $"{report.Utterances} utterances");
        Assert.True(report.Words.Expected > report.Utterances);
        Assert.Equal(report.Words.Expected, report.Words.Recovered);
        Assert.Equal(0, report.Words.Lost + report.Words.Duplicated + report.Words.OutOfOrder + report.Words.Unexpected);
        Assert.Equal(0, report.UtterancesWithoutFinal);
        Assert.Empty(report.Errors);
        Assert.Equal(report.Utterances, report.EndOfSpeechToFinalMs.Count);
        Assert.Equal(report.Utterances, report.SpeechStartToFirstPartialMs.Count);
        Assert.Equal(report.Utterances, report.FinalOverheadMs.Count);
        Assert.Equal(report.Utterances, report.SegmentEndOffsetMs.Count);
        Assert.NotNull(report.Gateway);
        Assert.Equal(report.Utterances, report.Gateway.Segments);
        Assert.Equal((double)gateway.Simulator.Stats.ConnectionsOpened, report.Gateway.UpstreamConnects);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("whisperlive")]
    [InlineData("funasr")]
    public async Task RunStreams_CompatibleEndpoint_EveryWordRecoveredAndLatenciesMeasured(string protocol)
    {
        await using var gateway = await TestGateway.StartAsync(settings: new Dictionary<string, string?> { ["Segmenter:EndpointSilenceMs"] = "300" });
        using var cts = new CancellationTokenSource(Timeout);
        var settings = new StreamSettings(
            TimeSpan.FromSeconds(1), 0.5, 50, TimeSpan.FromMilliseconds(200), 3, 300, 11, TimeSpan.FromSeconds(30), protocol);

        var report = await StreamLoad.RunAsync(
            ProtocolClients.EndpointUrl(gateway.Http, protocol), 2, settings, LoadFixture.Load(LoadFixture.DefaultPath), 10, metrics: null, cts.Token);

        Assert.Equal(2, report.Connected);
        Assert.True(report.Words.Expected > report.Utterances);
        Assert.Equal(report.Words.Expected, report.Words.Recovered);
        Assert.Equal(0, report.Words.Lost + report.Words.Duplicated + report.Words.OutOfOrder + report.Words.Unexpected);
        Assert.Empty(report.Errors);
        Assert.Equal(0, report.AbnormalCloses);
        Assert.Equal(report.Utterances, report.EndOfSpeechToFinalMs.Count);
        Assert.Equal(report.Utterances, report.SpeechStartToFirstPartialMs.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task RunStreams_GatewayLosesWords_CountsThemLost()
    {
        // Every terminal message is withheld, so no final can carry words: the tool must count every word lost.
        await using var gateway = await TestGateway.StartAsync(
            settings: new Dictionary<string, string?> { ["Upstream:FinalTimeout"] = "00:00:01", ["Dispatch:MaxAttempts"] = "1" });
        gateway.Simulator.Faults.SilentFinalProbability = 1;
        using var cts = new CancellationTokenSource(Timeout);
        var settings = new StreamSettings(TimeSpan.FromSeconds(0.5), 0.5, 100, TimeSpan.Zero, 4, 300, 3, TimeSpan.FromSeconds(30));

        var report = await StreamLoad.RunAsync(gateway.Stream(), 1, settings, LoadFixture.Load(LoadFixture.DefaultPath), 10, metrics: null, cts.Token);

        Assert.True(report.Words.Expected > 0);
        Assert.Equal(report.Words.Expected, report.Words.Lost + report.Words.Recovered);
        Assert.True(report.Words.Lost > 0, "no word counted lost although no final carried text");
        Assert.True(report.UtterancesWithoutFinal > 0);
    }

    [Fact(Timeout = 120_000)]
    public async Task RunWave_FourByTwo_AllSessionsSucceedAndReuseUpstream()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        var report = await WaveLoad.RunAsync(gateway.Stream(), 4, 2, 300, LoadFixture.Load(LoadFixture.DefaultPath), metrics, cts.Token);

        Assert.Equal(8, report.Sessions);
        Assert.Equal(0, report.Failed);
        Assert.Equal(0, report.WordsLost);
        Assert.Equal(8, report.LatencyMs.Count);
        Assert.Equal(8, report.UpstreamConnects + report.UpstreamReuse);
        Assert.True(report.UpstreamReuse > 0, "the second round reused no upstream connection");
    }

    [Fact(Timeout = 120_000)]
    public async Task RunIdle_TenSessions_GatewayHoldsThemOpen()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var metrics = new MetricsMonitor(gateway.Http, TimeSpan.FromSeconds(1), Environment.ProcessorCount);

        var report = await IdleLoad.RunAsync(gateway.Stream(), 10, TimeSpan.FromMilliseconds(200), metrics, cts.Token);

        Assert.Equal(10, report.Opened);
        Assert.Equal(10, report.ActiveSessions);
        Assert.Equal(0, report.UpstreamConnects);
    }

    [Fact]
    public void Embed_AnyWordAndSequence_SameBitsAsSimulatorEncoder()
    {
        foreach (var (word, sequence) in new[] { ("a", (ushort)1), ("quick_17", (ushort)300), ("Größe", (ushort)65535) })
        {
            var ours = new short[2000];
            var theirs = new short[2000];
            new Random(sequence).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ours.AsSpan()));
            ours.CopyTo(theirs, 0);

            Gateway.Load.Audio.Watermark.Embed(ours, sequence, word);
            FunAsr.Simulator.Content.Watermark.Embed(theirs, sequence, word);

            Assert.Equal(theirs, ours);
        }
    }
}
