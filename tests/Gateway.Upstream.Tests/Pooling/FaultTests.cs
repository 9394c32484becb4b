using FunAsr.Simulator;
using FunAsr.Simulator.Faults;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Upstream.Tests.Pooling;

public class FaultTests
{
    [Theory(Timeout = 20000)]
    [InlineData(SimulatorFlavour.Cpp2Pass)]
    [InlineData(SimulatorFlavour.CppOffline)]
    [InlineData(SimulatorFlavour.Python)]
    public async Task ReadAsync_ConnectionDroppedMidUtterance_FailsRetryableAndReplaceConnection(SimulatorFlavour flavour)
    {
        await using var sim = await SimulatorFixture.StartAsync(flavour);
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim));
        sim.Faults.DropNextUtterances(1);
        var pcm = SimulatorFixture.Audio(1, 11);

        var first = await client.StartUtteranceAsync();
        List<UpstreamResult> failed;
        await using (var utterance = first.Utterance!)
        {
            failed = await SimulatorFixture.RunAsync(utterance, pcm, SimulatorFixture.FrameBytes(flavour));
        }

        var replay = await client.StartUtteranceAsync();
        List<UpstreamResult> replayed;
        await using (var utterance = replay.Utterance!)
        {
            replayed = await SimulatorFixture.RunAsync(utterance, pcm, SimulatorFixture.FrameBytes(flavour));
        }

        Assert.Equal((UpstreamResultKind.Failed, UpstreamError.ConnectionLost, true), (failed[^1].Kind, failed[^1].Error, failed[^1].MustReplay));
        Assert.Equal(UpstreamResultKind.Completed, replayed[^1].Kind);
        Assert.Equal(2, sim.Stats.ConnectionsOpened);
        Assert.Equal((2L, 0L), (client.GetStatistics().NewConnections, client.GetStatistics().ReuseHits));
    }

    [Theory(Timeout = 20000)]
    [InlineData(SimulatorFlavour.Cpp2Pass)]
    [InlineData(SimulatorFlavour.CppOffline)]
    [InlineData(SimulatorFlavour.Python)]
    public async Task ReadAsync_SilentServer_TimesOutAndNeverReusesConnection(SimulatorFlavour flavour)
    {
        await using var sim = await SimulatorFixture.StartAsync(flavour);
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.FinalTimeout = TimeSpan.FromSeconds(3))); // the second utterance's final must fit it on a loaded machine
        sim.Faults.SilenceNextFinals(1);
        var pcm = SimulatorFixture.Audio(1, 12);

        var first = await client.StartUtteranceAsync();
        List<UpstreamResult> timedOut;
        await using (var utterance = first.Utterance!)
        {
            timedOut = await SimulatorFixture.RunAsync(utterance, pcm, SimulatorFixture.FrameBytes(flavour));
        }

        var next = await client.StartUtteranceAsync();
        await using (var utterance = next.Utterance!)
        {
            await SimulatorFixture.RunAsync(utterance, pcm, SimulatorFixture.FrameBytes(flavour));
        }

        Assert.Equal((UpstreamResultKind.Failed, UpstreamError.ResultTimeout, true), (timedOut[^1].Kind, timedOut[^1].Error, timedOut[^1].MustReplay));
        var stats = client.GetStatistics();
        Assert.True((2L, 0L, 1L, 1L) == (stats.NewConnections, stats.ReuseHits, stats.TimedOut, stats.Succeeded), stats.ToString());
        Assert.Equal(2, sim.Stats.ConnectionsOpened);
        await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpen == 1, CancellationToken.None);
    }

    [Theory(Timeout = 20000)]
    [InlineData(RefuseMode.RejectUpgrade)]
    [InlineData(RefuseMode.CloseAtAccept)]
    public async Task StartUtteranceAsync_ServerRefuses_ReturnsRetryableConnectError(RefuseMode mode)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim));
        sim.Faults.RefuseNextConnections(1, mode);
        var refused = await client.StartUtteranceAsync();
        var next = await client.StartUtteranceAsync();
        await using var utterance = next.Utterance!;

        Assert.False(refused.Succeeded);
        Assert.Contains(refused.Error, new[] { UpstreamError.HandshakeFailed, UpstreamError.ConnectFailed });
        Assert.True(refused.Error.IsRetryable());
        Assert.Equal(UpstreamResultKind.Completed, (await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 1), 3200))[^1].Kind);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_RepeatedFailures_OpenCircuitUntilTheRecoveryProbeClosesIt()
    {
        var time = new FakeTimeProvider();
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(
            SimulatorFixture.Options(sim, pool: o => o.BreakerFailureThreshold = 2),
            timeProvider: time);
        sim.Faults.RefuseConnections = RefuseMode.RejectUpgrade;

        var errors = new List<UpstreamError>();
        for (var i = 0; i < 3; i++)
        {
            errors.Add((await client.StartUtteranceAsync()).Error);
        }

        Assert.Equal([UpstreamError.HandshakeFailed, UpstreamError.HandshakeFailed, UpstreamError.CircuitOpen], errors);
        Assert.False(client.IsReady);

        // No utterance is let through on a timer: only the probe (first after 250 ms) may close the circuit.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(UpstreamError.CircuitOpen, (await client.StartUtteranceAsync()).Error);
        var ready = client.WhenReadyAsync();
        sim.Faults.RefuseConnections = RefuseMode.None;
        while (!ready.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(2)); // the probe's backoff (at most RecoveryProbeMaxDelay)
            await Task.WhenAny(ready, Task.Delay(50));
        }

        Assert.True(client.IsReady);
        var trial = await client.StartUtteranceAsync();
        await using (var utterance = trial.Utterance!)
        {
            Assert.Equal(UpstreamResultKind.Completed, (await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 2), 3200))[^1].Kind);
        }

        Assert.True(client.IsReady);
        Assert.True(client.Endpoints[0].Healthy);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_AllConnectionsBusy_QueuesThenFailsOnDeadlineOrFullQueue()
    {
        var time = new FakeTimeProvider();
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(
            SimulatorFixture.Options(sim, e => e.MaxConnections = 1, o => (o.QueueLimit, o.AcquireTimeout) = (1, TimeSpan.FromSeconds(2))),
            timeProvider: time);

        var holder = await client.StartUtteranceAsync();
        var queued = client.StartUtteranceAsync().AsTask();
        var overflow = await client.StartUtteranceAsync();
        Assert.False(queued.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));
        var waited = await queued;
        await holder.Utterance!.DisposeAsync();

        Assert.Equal(UpstreamError.QueueFull, overflow.Error);
        Assert.Equal(UpstreamError.QueueTimeout, waited.Error);
        Assert.True(waited.Error.IsRetryable());
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_ConnectionFreedWhileQueued_GetsIt()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, e => e.MaxConnections = 1));

        var holder = await client.StartUtteranceAsync();
        var queued = client.StartUtteranceAsync().AsTask();
        await using (var utterance = holder.Utterance!)
        {
            await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 4), 3200);
        }

        var next = await queued;
        await using var second = next.Utterance!;

        Assert.True(next.Succeeded);
        Assert.Equal(1L, client.GetStatistics().ReuseHits);
    }

    [Fact(Timeout = 20000)]
    public async Task ReadAsync_CallerCancels_FailsCancelledWithoutBlamingUpstream()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.BreakerFailureThreshold = 1));
        using var cts = new CancellationTokenSource();

        var start = await client.StartUtteranceAsync(cancellationToken: cts.Token);
        await using var utterance = start.Utterance!;
        await utterance.PushAudioAsync(new byte[3200]);
        var read = utterance.ReadAsync().AsTask();
        await cts.CancelAsync();
        var result = await read;

        Assert.Equal((UpstreamResultKind.Failed, UpstreamError.Cancelled, false), (result.Kind, result.Error, result.MustReplay));
        Assert.True(client.IsReady);
        Assert.Equal((1L, 0L), (client.GetStatistics().Cancelled, client.GetStatistics().Failed));
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_IdleConnectionDied_ProbeDiscardsItBeforeUse()
    {
        var time = new FakeTimeProvider();
        var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.IdleProbeAfter = TimeSpan.FromSeconds(30)), timeProvider: time);
        var first = await client.StartUtteranceAsync();
        await using (var utterance = first.Utterance!)
        {
            await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 6), 3200);
        }

        await sim.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(31));
        var second = await client.StartUtteranceAsync();

        // Without the probe the dead connection would be leased and the start would succeed.
        Assert.Equal(UpstreamError.ConnectFailed, second.Error);
        Assert.Equal(1L, client.GetStatistics().Discarded);
    }

    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_IdleConnectionProbedAlive_IsReused()
    {
        var time = new FakeTimeProvider();
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.IdleProbeAfter = TimeSpan.FromSeconds(30)), timeProvider: time);
        for (var i = 0; i < 2; i++)
        {
            var start = await client.StartUtteranceAsync();
            await using var utterance = start.Utterance!;
            Assert.Equal(UpstreamResultKind.Completed, (await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 6), 3200))[^1].Kind);
            time.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Equal((1L, 1L), (client.GetStatistics().NewConnections, client.GetStatistics().ReuseHits));
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Fact(Timeout = 20000)]
    public async Task Sweep_IdleLongerThanEvictAfter_ClosesConnection()
    {
        var time = new FakeTimeProvider();
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.IdleEvictAfter = TimeSpan.FromMinutes(2)), timeProvider: time);
        var start = await client.StartUtteranceAsync();
        await using (var utterance = start.Utterance!)
        {
            await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 8), 3200);
        }

        Assert.Equal(1, client.Endpoints[0].Idle);
        time.Advance(TimeSpan.FromMinutes(3));

        await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpen == 0, CancellationToken.None);
        Assert.Equal(0, client.Endpoints[0].Idle);
    }

    [Fact(Timeout = 20000)]
    public async Task ReadAsync_SlowServerWithinFinalTimeout_Completes()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.FinalTimeout = TimeSpan.FromSeconds(5)));
        sim.Faults.ExtraDelay = TimeSpan.FromMilliseconds(100);

        var start = await client.StartUtteranceAsync();
        await using var utterance = start.Utterance!;
        var results = await SimulatorFixture.RunAsync(utterance, new byte[6400], 3200);

        Assert.Equal(UpstreamResultKind.Completed, results[^1].Kind);
        Assert.True(sim.Stats.FaultCount(FaultKind.ExtraDelay) > 0);
    }

    [Fact(Timeout = 20000)]
    public async Task ReadAsync_DelayBeyondFinalTimeout_TimesOutAndDiscardsConnection()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, pool: o => o.FinalTimeout = TimeSpan.FromMilliseconds(300)));
        sim.Faults.ExtraDelay = TimeSpan.FromSeconds(3);

        var start = await client.StartUtteranceAsync();
        List<UpstreamResult> results;
        await using (var utterance = start.Utterance!)
        {
            results = await SimulatorFixture.RunAsync(utterance, new byte[3200], 3200);
        }

        Assert.Equal((UpstreamResultKind.Failed, UpstreamError.ResultTimeout), (results[^1].Kind, results[^1].Error));
        Assert.Equal((1L, 0), (client.GetStatistics().Discarded, client.Endpoints[0].Idle));
    }
}
