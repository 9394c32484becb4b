using System.Net;
using System.Net.WebSockets;
using FunAsr.Simulator;
using FunAsr.Simulator.Faults;
using Gateway.Core.Diagnostics;
using Gateway.FunctionalTests.Infrastructure;
using Serilog.Events;

namespace Gateway.FunctionalTests.Health;

/// <summary>/readyz says whether the gateway can transcribe, and stops saying so the moment it is asked to stop.</summary>
public sealed class ReadinessTruthTests
{
    [Fact(Timeout = 30_000)]
    public async Task Readyz_SegmentsWaitPastThresholdWithNoFinal_Unhealthy()
    {
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>
            {
                ["Dispatch:ReadinessStallAfter"] = "00:00:01",
                ["Upstream:BreakerFailureThreshold"] = "1000", // the circuit stays closed: only the stall can tell
            },
            simulatorOptions: new SimulatorOptions { Faults = new SimulatorFaults { RefuseConnections = RefuseMode.RejectUpgrade } });
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await client.StartAsync();
        var speech = SpeechFixture.ThreeUtterances.Pcm16Bytes;
        await client.SendAudioAsync(speech.AsMemory(0, 32_000 * 3)); // the first phrase starts: a segment waits

        string body;
        do
        {
            await Task.Delay(200);
            var ready = await http.GetAsync("/readyz");
            body = await ready.Content.ReadAsStringAsync();
        }
        while (!body.Contains("dispatch: Unhealthy", StringComparison.Ordinal));

        Assert.Contains("waiting for an upstream", body);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sigterm_PreStopDelay_UnreadyAtOnceStillAdmitsThenDrainsWith1001()
    {
        // A delay the probe, the connect and the start below fit in on a loaded machine too (2 s could pass).
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:PreStopDelay"] = "00:00:06" });
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(10) };

        var stopping = gateway.StopAsync();
        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("dispatch: Unhealthy - stopping", await ready.Content.ReadAsStringAsync());

        // Still serving during the delay: a new client is admitted, then drained like every other.
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await client.StartAsync();
        Assert.False(stopping.IsCompleted);
        var messages = await client.ReceiveUntilClosedAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((WebSocketCloseStatus)1001, client.CloseStatus);
        Assert.Contains(messages, m => m.GetProperty("type").GetString() == "disconnect");
        await stopping;
    }

    [Fact(Timeout = 30_000)]
    public async Task Draining_ProbedEverySecondByABalancer_LogsTheChangeOnceAtInformationAndNoErrors()
    {
        var logs = new LogCapture();
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>(LogCapture.Settings) { ["Sessions:PreStopDelay"] = "00:00:05" }, configure: logs.Configure);
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        var stopping = gateway.StopAsync();
        for (var i = 0; i < 5; i++)
        {
            // A balancer's probes during the drain (each one is answered before the next: no timing involved).
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
        }

        var changes = logs.WithEventId(EventIds.ReadinessChanged);
        var change = Assert.Single(changes);
        Assert.Equal(LogEventLevel.Information, change.Level);
        Assert.Contains("dispatch", change.RenderMessage(), StringComparison.Ordinal);
        Assert.Contains("stopping", change.RenderMessage(), StringComparison.Ordinal);
        var errors = logs.Events.Where(e => e.Level >= LogEventLevel.Error).ToList();
        Assert.True(errors.Count == 0, LogCapture.Describe(errors));
        await stopping;
    }
}
