using FunAsr.Simulator;

namespace Gateway.Upstream.Tests.Pooling;

/// <summary>The adaptive limit in the pool: a cut holds leases to the limit (the next start waits), a raise lets it through.</summary>
public sealed class AdaptiveLimitPoolTests
{
    [Fact(Timeout = 20000)]
    public async Task ReportFinalLatency_LateFinal_LeasesBeyondTheCutLimitWaitUntilItGrows()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o =>
        {
            o.AdaptiveLimit.Enabled = true;
            o.AcquireTimeout = TimeSpan.FromMilliseconds(300);
        }));
        var pool = client.Pools[0];
        Assert.Equal(4, client.Endpoints[0].Limit);

        var held = new List<UpstreamUtterance>();
        for (var i = 0; i < 4; i++)
        {
            held.Add((await client.StartUtteranceAsync()).Utterance!);
        }

        // Four in flight, a final 8 s late against 2 s: the limit halves to 2 (the cut is taken from the next releases).
        pool.ReportFinalLatency(0, TimeSpan.FromSeconds(8));
        Assert.Equal(2, client.Endpoints[0].Limit);
        foreach (var u in held)
        {
            await u.DisposeAsync();
        }

        var first = await client.StartUtteranceAsync();
        var second = await client.StartUtteranceAsync();
        Assert.Equal(UpstreamError.None, first.Error);
        Assert.Equal(UpstreamError.None, second.Error);
        Assert.Equal(UpstreamError.QueueTimeout, (await client.StartUtteranceAsync()).Error);

        // Two finals on time with the limit used: it grows back to 4, and two more starts get through.
        pool.ReportFinalLatency(0, TimeSpan.FromMilliseconds(100));
        pool.ReportFinalLatency(0, TimeSpan.FromMilliseconds(100));
        Assert.Equal(4, client.Endpoints[0].Limit);
        var third = await client.StartUtteranceAsync();
        var fourth = await client.StartUtteranceAsync();
        Assert.Equal(UpstreamError.None, third.Error);
        Assert.Equal(UpstreamError.None, fourth.Error);
        Assert.Equal(UpstreamError.QueueTimeout, (await client.StartUtteranceAsync()).Error);
        foreach (var s in new[] { first, second, third, fourth })
        {
            await s.Utterance!.DisposeAsync();
        }
    }

    [Fact(Timeout = 20000)]
    public async Task ReportFinalLatency_LimitOff_NothingChanges()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.AcquireTimeout = TimeSpan.FromMilliseconds(300)));
        client.Pools[0].ReportFinalLatency(0, TimeSpan.FromSeconds(8));

        Assert.Equal(4, client.Endpoints[0].Limit);
        var starts = new List<UtteranceStart>();
        for (var i = 0; i < 4; i++)
        {
            starts.Add(await client.StartUtteranceAsync());
        }

        Assert.All(starts, s => Assert.Equal(UpstreamError.None, s.Error));
        foreach (var s in starts)
        {
            await s.Utterance!.DisposeAsync();
        }
    }
}
