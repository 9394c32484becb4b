using FunAsr.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Upstream.Tests.Pooling;

/// <summary>What the pool keeps open per hotword set, and how soon it notices a server that came back.</summary>
public sealed class PoolBoundsTests
{
    private static UtteranceRequest Hotwords(string word) => new() { Hotwords = new HotwordSet([new(word, 20)]) };

    [Fact(Timeout = 20000)]
    public async Task Release_MoreHotwordSetsThanMaxHotwordSets_LeastRecentSetsIdleConnectionsClosed()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.MaxHotwordSets = 2));
        var pool = client.Pools[0];

        foreach (var request in new[] { Hotwords("alpha"), Hotwords("bravo"), Hotwords("charlie"), Hotwords("bravo") })
        {
            await RunOneAsync(client, request);
        }

        // alpha, the least recently used, made room for charlie; bravo's idle connection was reused.
        await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpen == 2, CancellationToken.None);
        Assert.Equal(3, sim.Stats.ConnectionsOpened);
        Assert.Equal(2, pool.IdleHotwordSetCount);
        Assert.Equal(2, pool.HotwordSetCount);
        Assert.DoesNotContain(sim.Stats.Connections, c => c.Open && c.Hotwords!.Contains("alpha", StringComparison.Ordinal));
    }

    [Fact(Timeout = 20000)]
    public async Task Sweep_HotwordSetIdleLongerThanEvictAfter_ConnectionClosedAndSetForgotten()
    {
        var time = new FakeTimeProvider();
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.IdleEvictAfter = TimeSpan.FromMinutes(2)), timeProvider: time);
        var pool = client.Pools[0];
        await RunOneAsync(client, Hotwords("alpha"));
        Assert.Equal(1, pool.HotwordSetCount);

        time.Advance(TimeSpan.FromMinutes(3));

        await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpen == 0, CancellationToken.None);
        Assert.Equal(0, pool.HotwordSetCount);
    }

    [Fact(Timeout = 30000)]
    public async Task RecoveryProbe_ServerBackOnTheSamePort_WhenReadyCompletesAndTheEndpointServes()
    {
        var port = 0;
        await using (var first = await SimulatorFixture.StartAsync())
        {
            port = first.Url.Port;
        }

        // One failure opens the circuit; only the recovery probe closes it, and WhenReadyAsync says so.
        var options = new UpstreamOptions { BreakerFailureThreshold = 1, FinalTimeout = TimeSpan.FromSeconds(5) };
        options.Endpoints.Add(new UpstreamEndpointOptions { Url = $"ws://127.0.0.1:{port}/", MaxConnections = 2 });
        await using var client = new UpstreamClient(options);
        Assert.Equal(UpstreamError.ConnectFailed, (await client.StartUtteranceAsync()).Error);
        Assert.False(client.IsReady);
        var ready = client.WhenReadyAsync();
        Assert.False(ready.IsCompleted);
        Assert.Equal(UpstreamError.CircuitOpen, (await client.StartUtteranceAsync()).Error);

        await using var back = await FunAsrSimulator.StartAsync(new SimulatorOptions { Port = port, StepLatency = TimeSpan.Zero, FinalLatency = TimeSpan.FromMilliseconds(1) });

        await ready.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(client.IsReady);
        Assert.True(client.Endpoints[0].Healthy);
        await RunOneAsync(client, UtteranceRequest.Default);
    }

    private static async Task RunOneAsync(UpstreamClient client, UtteranceRequest request)
    {
        var start = await client.StartUtteranceAsync(request);
        Assert.Equal(UpstreamError.None, start.Error);
        await using var utterance = start.Utterance!;
        var results = await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 3), 3200);
        Assert.Equal(UpstreamResultKind.Completed, results[^1].Kind);
    }
}
