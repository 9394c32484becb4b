using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using FunAsr.Simulator;
using FunAsr.Simulator.Faults;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class FaultTests
{
    private static readonly Spoken[] HelloWorld = [new("hello", 200), new("world", 200)];

    [Fact(Timeout = 10_000)]
    public async Task DropNextUtterances_One_ConnectionCutMidUtteranceThenNormal()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        sim.Faults.DropNextUtterances(1);

        await using (var dropped = await SimClient.ConnectAsync(sim.Url))
        {
            await IgnoringDrop(async () =>
            {
                await dropped.ConfigAsync("utt-1");
                await dropped.SendAudioAsync(Bytes(Speech(HelloWorld)));
            });
            Assert.Null(await dropped.ReceiveAsync());
            Assert.Equal(WebSocketState.Aborted, dropped.Socket.State);
        }

        await using var next = await SimClient.ConnectAsync(sim.Url);
        await next.ConfigAsync("utt-2", mode: "offline");
        await next.SendAudioAsync(Bytes(Speech(HelloWorld)));
        await next.EosAsync();
        Assert.Equal(["2pass-offline:true:0:hello world."], Cpp2PassTests.Texts(await next.ReceiveUntilFinalAsync()));
        Assert.Equal(1, sim.Stats.FaultCount(FaultKind.DropConnection));
    }

    [Theory(Timeout = 10_000)]
    [InlineData(SimulatorFlavour.CppOffline)]
    [InlineData(SimulatorFlavour.Python)]
    public async Task DropConnectionProbabilityOne_OtherFlavours_ConnectionCut(SimulatorFlavour flavour)
    {
        await using var sim = await Sim.StartAsync(flavour);
        sim.Faults.DropConnectionProbability = 1;
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await IgnoringDrop(async () =>
        {
            await client.SendTextAsync("""{"mode":"2pass","chunk_size":[5,10,5],"wav_name":"utt-1","is_speaking":true}""");
            await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 1920);
            await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
        });

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(1, sim.Stats.FaultCount(FaultKind.DropConnection));
    }

    [Fact(Timeout = 10_000)]
    public async Task SilenceNextFinals_One_PartialsButNoFinalConnectionStaysOpen()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        sim.Faults.SilenceNextFinals(1);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 3200);
        await client.EosAsync();

        Assert.Equal(["2pass-online:false:0:hello", "2pass-online:false:0: world"], Cpp2PassTests.Texts([(await client.ReceiveAsync())!, (await client.ReceiveAsync())!]));
        await sim.Stats.WaitUntilAsync(s => s.FaultCount(FaultKind.SilentFinal) == 1, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, client.Socket.State);
        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, sim.Stats.UtterancesCompleted);
    }

    [Fact(Timeout = 10_000)]
    public async Task SilentFinalProbabilityOne_Python_NoAck()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        sim.Faults.SilentFinalProbability = 1;
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"offline","chunk_size":[5,10,5],"wav_name":"utt-1","is_speaking":true}""");
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");

        await sim.Stats.WaitUntilAsync(s => s.FaultCount(FaultKind.SilentFinal) == 1, CancellationToken.None);
        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact(Timeout = 10_000)]
    public async Task ExtraDelay_FinalComesNoEarlierThanTheDelay()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o => o.TimeProvider = TimeProvider.System);
        sim.Faults.ExtraDelay = TimeSpan.FromMilliseconds(300);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        var watch = Stopwatch.StartNew();
        await client.EosAsync();
        await client.ReceiveUntilFinalAsync();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"final after {watch.Elapsed}");
        Assert.True(sim.Stats.FaultCount(FaultKind.ExtraDelay) >= 1);
    }

    [Fact(Timeout = 10_000)]
    public async Task RefuseConnections_RejectUpgrade_Http503()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        sim.Faults.RefuseConnections = RefuseMode.RejectUpgrade;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(sim.Url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        Assert.Equal(1, sim.Stats.FaultCount(FaultKind.RejectedUpgrade));
        Assert.Equal(0, sim.Stats.ConnectionsOpened);
    }

    [Fact(Timeout = 10_000)]
    public async Task RefuseNextConnections_CloseAtAccept_FailsOnceThenAccepts()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        sim.Faults.RefuseNextConnections(1, RefuseMode.CloseAtAccept);

        await Assert.ThrowsAsync<WebSocketException>(() => SimClient.ConnectAsync(sim.Url));
        await using var client = await SimClient.ConnectAsync(sim.Url);

        Assert.Equal(1, sim.Stats.FaultCount(FaultKind.ClosedAtAccept));
        Assert.Equal(1, sim.Stats.ConnectionsOpened);
    }

    [Fact(Timeout = 10_000)]
    public async Task RefuseNextConnections_RejectUpgrade_RefusesExactlyThatManyConnections()
    {
        // Regression: the accept-time check consumed the count, so the upgrade was never refused.
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        sim.Faults.RefuseNextConnections(2, RefuseMode.RejectUpgrade);

        await Assert.ThrowsAsync<WebSocketException>(() => SimClient.ConnectAsync(sim.Url));
        await Assert.ThrowsAsync<WebSocketException>(() => SimClient.ConnectAsync(sim.Url));
        await using var client = await SimClient.ConnectAsync(sim.Url);

        Assert.Equal(2, sim.Stats.FaultCount(FaultKind.RejectedUpgrade));
        Assert.Equal(1, sim.Stats.ConnectionsOpened);
    }

    /// <summary>Sending races the injected drop: a send may fail once the server has cut the connection.</summary>
    private static async Task IgnoringDrop(Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (WebSocketException)
        {
            // The drop happened while we were still sending.
        }
    }

    [Fact]
    public void PlanUtterance_SameSeed_SameDecisions()
    {
        static List<(bool, bool)> Plans(int seed)
        {
            var faults = new SimulatorFaults(seed) { DropConnectionProbability = 0.3, SilentFinalProbability = 0.3 };
            return [.. Enumerable.Range(0, 200).Select(_ => faults.PlanUtterance()).Select(p => (p.Drop, p.SilentFinal))];
        }

        Assert.Equal(Plans(99), Plans(99));
        Assert.NotEqual(Plans(99), Plans(100));
        Assert.InRange(Plans(99).Count(p => p.Item1), 30, 90);
    }

    [Fact]
    public void PlanUtterance_NextCountsFirst_ThenProbability()
    {
        var faults = new SimulatorFaults();
        faults.DropNextUtterances(2);
        faults.SilenceNextFinals(1);

        Assert.Equal(new UtterancePlan(true, true), faults.PlanUtterance());
        Assert.Equal(new UtterancePlan(true, false), faults.PlanUtterance());
        Assert.Equal(new UtterancePlan(false, false), faults.PlanUtterance());
    }

    [Fact]
    public void DropConnectionProbability_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatorFaults { DropConnectionProbability = 1.5 });
    }
}
