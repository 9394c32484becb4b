using FunAsr.Simulator;
using FunAsr.Simulator.Content;

namespace Gateway.Upstream.Tests.Pooling;

public class UtteranceFlavourTests
{
    [Theory(Timeout = 20000)]
    [InlineData(SimulatorFlavour.Cpp2Pass, ".")]
    [InlineData(SimulatorFlavour.CppOffline, "")]
    [InlineData(SimulatorFlavour.Python, ".")]
    public async Task ReadAllAsync_EachFlavour_DeliversSentenceThenCompleted(SimulatorFlavour flavour, string punctuation)
    {
        await using var sim = await SimulatorFixture.StartAsync(flavour);
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim));
        var pcm = SimulatorFixture.Audio(2, seed: 7);
        var expected = string.Join(" ", Watermark.BlockTokens(pcm)) + punctuation;

        var start = await client.StartUtteranceAsync();
        Assert.True(start.Succeeded, start.Error.ToString());
        await using var utterance = start.Utterance;
        var results = await SimulatorFixture.RunAsync(utterance, pcm, SimulatorFixture.FrameBytes(flavour));

        Assert.Equal(UpstreamResultKind.Completed, results[^1].Kind);
        var sentence = Assert.Single(results, r => r.Kind == UpstreamResultKind.Sentence);
        Assert.Equal(expected, sentence.Text);
        Assert.Equal(0, sim.Stats.ViolationCount);
        if (flavour != SimulatorFlavour.CppOffline)
        {
            // Online deltas concatenate to the sentence text (without its punctuation).
            var partials = string.Concat(results.Where(r => r.Kind == UpstreamResultKind.Partial).Select(r => r.Text));
            Assert.Equal(string.Join(" ", Watermark.BlockTokens(pcm)), partials.Trim());
        }
    }

    [Theory(Timeout = 20000)]
    [InlineData(SimulatorFlavour.Cpp2Pass)]
    [InlineData(SimulatorFlavour.CppOffline)]
    [InlineData(SimulatorFlavour.Python)]
    public async Task StartUtteranceAsync_SequentialUtterances_ReuseOneConnection(SimulatorFlavour flavour)
    {
        await using var sim = await SimulatorFixture.StartAsync(flavour);
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim));

        for (var i = 0; i < 10; i++)
        {
            var pcm = SimulatorFixture.Audio(1, seed: i);
            var start = await client.StartUtteranceAsync();
            await using var utterance = start.Utterance!;
            var results = await SimulatorFixture.RunAsync(utterance, pcm, SimulatorFixture.FrameBytes(flavour));
            Assert.Equal(UpstreamResultKind.Completed, results[^1].Kind);
            Assert.Contains(results, r => r.Kind == UpstreamResultKind.Sentence && r.Text.StartsWith(Watermark.BlockTokens(pcm)[0], StringComparison.Ordinal));
        }

        var stats = client.GetStatistics();
        Assert.Equal((1L, 9L, 10L, 0L), (stats.NewConnections, stats.ReuseHits, stats.Succeeded, stats.Failed));
        Assert.Equal(1, sim.Stats.ConnectionsOpened);
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_ConcurrentUtterances_OneInFlightPerConnection()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, e => e.MaxConnections = 3));

        async Task<bool> OneAsync(int seed)
        {
            var start = await client.StartUtteranceAsync();
            await using var utterance = start.Utterance!;
            var results = await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, seed), 3200);
            return results[^1].Kind == UpstreamResultKind.Completed;
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(OneAsync));

        Assert.All(outcomes, Assert.True);
        Assert.True(sim.Stats.ConnectionsOpened <= 3);
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_DifferentHotwords_UseSeparateConnections()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim));
        var hotwords = new UtteranceRequest { Hotwords = new HotwordSet([new("阿里巴巴", 20)]) };

        foreach (var request in new[] { hotwords, UtteranceRequest.Default, hotwords, UtteranceRequest.Default })
        {
            var start = await client.StartUtteranceAsync(request);
            await using var utterance = start.Utterance!;
            var results = await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 3), 3200);
            Assert.Equal(UpstreamResultKind.Completed, results[^1].Kind);
        }

        Assert.Equal(2, sim.Stats.ConnectionsOpened);
        Assert.Equal(0, sim.Stats.ViolationCount);
        Assert.Contains(sim.Stats.Connections, c => c.Hotwords is not null && c.Hotwords.Contains("阿里巴巴", StringComparison.Ordinal));
    }

    [Fact(Timeout = 20000)]
    public async Task WarmUpAsync_TwoPassMinIdle_OpensConfiguredConnectionsThatAreReused()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, e => e.MinIdle = 2));

        await client.WarmUpAsync();
        await sim.Stats.WaitUntilAsync(s => s.Connections.Count(c => c.ChunkSize is not null) == 2, CancellationToken.None);
        var start = await client.StartUtteranceAsync();
        await using (var utterance = start.Utterance!)
        {
            await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 1), 3200);
        }

        Assert.Equal(2, sim.Stats.ConnectionsOpened);
        Assert.Equal((2L, 1L), (client.GetStatistics().NewConnections, client.GetStatistics().ReuseHits));
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_TlsPinnedSha256_Transcribes()
    {
        await using var sim = await SimulatorFixture.StartAsync(tls: true);
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, e => e.Tls.PinnedThumbprint = sim.CertificateSha256Thumbprint));

        var start = await client.StartUtteranceAsync();
        await using var utterance = start.Utterance!;
        var results = await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 5), 3200);

        Assert.Equal(UpstreamResultKind.Completed, results[^1].Kind);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_TlsSelfSignedWithoutTrust_FailsTlsRejected()
    {
        await using var sim = await SimulatorFixture.StartAsync(tls: true);
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim));

        var start = await client.StartUtteranceAsync();

        Assert.Equal(UpstreamError.TlsRejected, start.Error);
        Assert.True(start.Error.IsRetryable());
    }
}
