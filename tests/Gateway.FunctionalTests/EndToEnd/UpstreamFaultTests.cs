using FunAsr.Simulator;
using FunAsr.Simulator.Faults;
using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.EndToEnd.NativeResultsTests;

namespace Gateway.FunctionalTests.EndToEnd;

/// <summary>Upstream failures mid-segment are replayed: the client gets exactly one final per segment, no word lost or doubled.</summary>
public sealed class UpstreamFaultTests
{
    // 20 % of utterances fail; 8 attempts make a segment that fails every time a 2.6e-6 event.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Upstream:FinalTimeout"] = "00:00:01",
        ["Dispatch:MaxAttempts"] = "8",
    };

    [Theory(Timeout = 60_000)]
    [InlineData(FaultKind.DropConnection, "ConnectionLost")]
    [InlineData(FaultKind.SilentFinal, "ResultTimeout")]
    public async Task Stream_TwentyPercentOfUtterancesFaulty_EveryWordExactlyOnce(FaultKind fault, string replayedFor)
    {
        var faults = fault == FaultKind.DropConnection
            ? new SimulatorFaults(seed: 7) { DropConnectionProbability = 0.2 }
            : new SimulatorFaults(seed: 11) { SilentFinalProbability = 0.2 };
        await using var gateway = await TestGateway.StartAsync(Settings, simulatorOptions: new SimulatorOptions { Faults = faults });

        var sessions = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => StreamFixtureAsync(gateway, SpeechFixture.ThreeUtterances, realTimeFactor: 4)))
            .WaitAsync(TimeSpan.FromSeconds(90));

        Assert.All(sessions, messages =>
        {
            AssertWordsRecovered(SpeechFixture.ThreeUtterances, messages);
            AssertSegmentLifecycles(messages);
        });
        Assert.True(gateway.Simulator.Stats.FaultCount(fault) > 0, "no fault was injected");
        var metrics = await gateway.GetStringAsync("/metrics");
        Assert.Contains($"gateway_dispatch_replays_total{{error=\"{replayedFor}\"}}", metrics);
        // Every segment's wait for a connection is recorded (the load report's lease-wait figures come from it).
        Assert.Matches(@"gateway_dispatch_lease_wait_seconds_count(\{[^}]*\})? [1-9]", metrics);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_NoUpstreamAvailable_EachSegmentGetsAnErrorAndTheSessionContinues()
    {
        var faults = new SimulatorFaults { RefuseConnections = RefuseMode.RejectUpgrade };
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Dispatch:SegmentDeadline"] = "00:00:01", ["Upstream:BreakerFailureThreshold"] = "1000" },
            simulatorOptions: new SimulatorOptions { Faults = faults });

        var messages = await StreamFixtureAsync(gateway, SpeechFixture.ThreeUtterances, realTimeFactor: 0);

        var errors = messages.Where(m => Type(m) == "error").ToList();
        var started = messages.Where(m => Type(m) == "speech_started").ToList();
        Assert.Equal(SpeechFixture.ThreeUtterances.Spans.Count, errors.Count);
        Assert.Equal(started.Select(s => s.GetProperty("segment_id").GetInt64()), errors.Select(e => e.GetProperty("segment_id").GetInt64()));
        Assert.All(errors, e =>
        {
            Assert.Equal("upstream_unavailable", e.GetProperty("code").GetString());
            Assert.False(e.GetProperty("fatal").GetBoolean());
        });
        Assert.DoesNotContain(messages, m => Type(m) == "final");
    }
}
