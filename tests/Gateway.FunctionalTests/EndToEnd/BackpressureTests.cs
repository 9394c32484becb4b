using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.EndToEnd.NativeResultsTests;

namespace Gateway.FunctionalTests.EndToEnd;

/// <summary>A client sending faster than the gateway processes: slowed down, not dropped; and reported when dropped.</summary>
public sealed class BackpressureTests
{
    [Fact(Timeout = 60_000)]
    public async Task Stream_UnpacedIntoAThreeSecondRing_IsPacedByTheGatewayAndLosesNothing()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:RingSeconds"] = "3" });

        var messages = await StreamFixtureAsync(gateway, SpeechFixture.ThreeUtterances, realTimeFactor: 0);

        Assert.DoesNotContain(messages, m => Type(m) == "overflow");
        AssertWordsRecovered(SpeechFixture.ThreeUtterances, messages);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_UnpacedWithoutBackpressure_OverflowIsReportedNotSilent()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Sessions:RingSeconds"] = "3",
            ["Sessions:BackpressureTimeout"] = "00:00:00",
        });

        var messages = await StreamFixtureAsync(gateway, SpeechFixture.ThreeUtterances, realTimeFactor: 0);

        var overflow = Assert.Single(messages, m => Type(m) == "overflow" && m.GetProperty("dropped_ms").GetDouble() > 0);
        Assert.True(overflow.GetProperty("total_dropped_ms").GetDouble() > 0);
        var metrics = await gateway.GetStringAsync("/metrics");
        Assert.Contains("gateway_session_errors_total{code=\"audio_overflow\"}", metrics);
    }
}
