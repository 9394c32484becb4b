using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.FunctionalTests.Auth;
using Gateway.FunctionalTests.Deepgram;
using Gateway.FunctionalTests.Infrastructure;
using FunAsr.Simulator;
using StackExchange.Redis;

namespace Gateway.FunctionalTests.Admission;

/// <summary>
/// <c>Admission:Scope=Fleet</c> (docs/scale-out.md §6): gateways on one real redis-server share <c>MaxClients</c> and
/// each key's <c>MaxSessions</c>; a killed gateway's slots come back after its lease; Redis down, each gateway admits
/// up to its own limit and readiness says so.
/// </summary>
public sealed class FleetAdmissionTests : IAsyncLifetime
{
    private const string Listen = "/v1/listen?encoding=linear16&sample_rate=16000";
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact(Timeout = 90_000)]
    public async Task MaxClients_ThreeAcrossTwoGateways_TheFourthIsRefusedOnEitherAndASlotFreedOnOneAdmitsOnTheOther()
    {
        await using var a = await TestGateway.StartAsync(Fleet("a", maxClients: 3));
        await using var b = await TestGateway.StartAsync(Fleet("b", maxClients: 3));
        var onA1 = await StartedAsync(a.Stream());
        await using var onA2 = await StartedAsync(a.Stream());
        await using var onB1 = await StartedAsync(b.Stream());

        // Each gateway holds fewer than 3 itself: only the fleet count refuses.
        await AssertWaitAsync(b.Stream());
        await AssertWaitAsync(a.Stream());
        var (status, headers) = await DeepgramRawClient.RefusedAsync(b.Stream(Listen));
        Assert.Equal((HttpStatusCode)429, status);
        Assert.True(int.Parse(headers["Retry-After"].Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        await onA1.SendJsonAsync(new { type = "close" });
        await onA1.ReceiveUntilClosedAsync();
        await onA1.DisposeAsync();
        await using var onB2 = await AdmittedEventuallyAsync(b.Stream(), TimeSpan.FromSeconds(30));

        await AssertWaitAsync(a.Stream());
    }

    [Fact(Timeout = 120_000)]
    public async Task KilledGateway_ItsSlotsReturnToTheFleetAfterItsLease()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        await using var simulator = await FunAsrSimulator.StartAsync(new SimulatorOptions(), deadline.Token);
        // Heartbeats every 3 s: a live gateway starved of CPU for a few seconds on a loaded machine keeps its lease
        // (with 5 s, 3.3 s of starvation would let b forget a's slots before the kill).
        var settings = Fleet("a", maxClients: 2, lease: "00:00:09").ToDictionary(kv => kv.Key, kv => kv.Value!);
        await using var a = await GatewayProcess.StartAsync(simulator.Url, settings, deadline.Token);
        await using var b = await TestGateway.StartAsync(Fleet("b", maxClients: 2, lease: "00:00:09"));
        var onA = new Uri($"ws://{a.Http.Authority}/v1/stream");
        var first = await StartedAsync(onA);
        var second = await StartedAsync(onA);
        await AssertWaitAsync(b.Stream());

        await a.KillAsync(); // SIGKILL: no session ends, no slot is given back
        first.Abort();
        second.Abort();

        await using var admitted = await AdmittedEventuallyAsync(b.Stream(), TimeSpan.FromSeconds(60));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var counts = await redis.GetDatabase().HashGetAllAsync("gateway:admission:{clients}:counts");
        Assert.Equal(new[] { ("b", 1L) }, counts.Select(c => ((string)c.Name!, (long)c.Value)));
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact(Timeout = 90_000)]
    public async Task RedisDown_EachGatewayAdmitsUpToItsOwnLimit_ReadinessSaysDegraded_AndTheFleetCountIsBackWithRedis()
    {
        await using var a = await TestGateway.StartAsync(Fleet("a", maxClients: 1));
        await using var b = await TestGateway.StartAsync(Fleet("b", maxClients: 1));
        using var http = new HttpClient { BaseAddress = a.Http };
        Assert.Contains("redis: Healthy - up; fleet admission", await http.GetStringAsync("/readyz"));
        await _redis.KillAsync();

        await using var degraded = await StartedAsync(a.Stream()); // degrade to local: admitted
        await AssertWaitAsync(a.Stream()); // ... up to this gateway's own MaxClients
        Assert.Contains("fleet admission degraded to this gateway's own limits", await http.GetStringAsync("/readyz"));

        await _redis.RestartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        using var httpB = new HttpClient { BaseAddress = b.Http };
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while ((long)await redis.GetDatabase().HashGetAsync("gateway:admission:{clients}:counts", "a") != 1
               || !(await http.GetStringAsync("/readyz", wait.Token)).Contains("redis: Healthy - up; fleet admission", StringComparison.Ordinal)
               || !(await httpB.GetStringAsync("/readyz", wait.Token)).Contains("redis: Healthy - up; fleet admission", StringComparison.Ordinal))
        {
            await Task.Delay(100, wait.Token); // a's heartbeat writes the session it admitted while Redis was away
        }

        await AssertWaitAsync(b.Stream()); // the fleet holds 1: b, which holds none, refuses
    }

    [Fact(Timeout = 60_000)]
    public async Task KeyMaxSessions_OneAcrossTwoGateways_TheSecondOnTheOtherGatewayIs429()
    {
        await using var a = await AuthGateway.StartAsync(Fleet("a", maxClients: 10));
        await using var b = await AuthGateway.StartAsync(Fleet("b", maxClients: 10));
        await using var first = await DeepgramRawClient.ConnectAsync(a.Stream(Listen + "&token=" + AuthGateway.StreamKey));

        var (status, headers) = await DeepgramRawClient.RefusedAsync(b.Stream(Listen + "&token=" + AuthGateway.StreamKey));

        Assert.Equal((HttpStatusCode)429, status);
        Assert.Equal("key \"stream\" has its 1 concurrent sessions open across the fleet", headers["dg-error"].Single());
    }

    private Dictionary<string, string?> Fleet(string instance, int maxClients, string lease = "00:00:15") => new()
    {
        ["Redis:Configuration"] = _redis.Configuration,
        ["Redis:InstanceLease"] = lease,
        ["Gateway:InstanceId"] = instance,
        ["Admission:Scope"] = "Fleet",
        ["Admission:MaxClients"] = maxClients.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<StreamClient> StartedAsync(Uri uri)
    {
        var client = await StreamClient.ConnectAsync(uri);
        await client.StartAsync();
        return client;
    }

    /// <summary>The native refusal of a full gateway: <c>wait</c> with an estimate, then close 1013.</summary>
    private static async Task AssertWaitAsync(Uri uri)
    {
        await using var client = await StreamClient.ConnectAsync(uri);
        await client.SendJsonAsync(new { type = "start" });
        var wait = await client.ReceiveAsync();
        Assert.Equal("wait", wait.GetProperty("type").GetString());
        Assert.True(wait.GetProperty("estimated_wait_seconds").GetDouble() > 0, wait.ToString());
        Assert.Null(await client.ReceiveOrCloseAsync());
        Assert.Equal((WebSocketCloseStatus)1013, client.CloseStatus);
    }

    /// <summary>Asks until a session is admitted (a slot given back reaches Redis without the client waiting for it).</summary>
    private static async Task<StreamClient> AdmittedEventuallyAsync(Uri uri, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        while (true)
        {
            var client = await StreamClient.ConnectAsync(uri);
            await client.SendJsonAsync(new { type = "start" });
            var first = await client.ReceiveAsync();
            if (first.GetProperty("type").GetString() == "ready")
            {
                return client;
            }

            Assert.Equal("wait", first.GetProperty("type").GetString());
            await client.DisposeAsync();
            await Task.Delay(100, deadline.Token);
        }
    }
}
