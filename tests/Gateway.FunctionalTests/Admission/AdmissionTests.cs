using System.Net.WebSockets;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Admission;

public sealed class AdmissionTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(50, 10)]
    [InlineData(200, 100)]
    public async Task Connect_ManySimultaneous_AdmitsExactlyMaxClientsAndWaitsTheRest(int connections, int maxClients)
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Admission:MaxClients"] = maxClients.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The server waits Sessions:CloseGrace (2 s by default) for a refused socket's answer to its close and then
            // aborts, which would lose the close code; 190 sockets answering on a loaded 2-core machine can take longer.
            // The grace is not what this test is about.
            ["Sessions:CloseGrace"] = "00:00:15",
        });

        // Every socket is connected before any asks to start, then all start at once.
        var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => StreamClient.ConnectAsync(gateway.Stream())));
        // A refused socket answers the server's close at once, all of them concurrently.
        var outcomes = await Task.WhenAll(clients.Select(async client =>
        {
            await client.SendJsonAsync(new { type = "start" });
            var first = await client.ReceiveAsync();
            var afterWait = first.GetProperty("type").GetString() == "wait" ? await client.ReceiveOrCloseAsync() : null;
            return (client, first, afterWait, closeStatus: client.CloseStatus);
        })).WaitAsync(TimeSpan.FromSeconds(60));

        var admitted = outcomes.Where(o => o.first.GetProperty("type").GetString() == "ready").ToList();
        var waiting = outcomes.Where(o => o.first.GetProperty("type").GetString() == "wait").ToList();
        Assert.Equal(maxClients, admitted.Count);
        Assert.Equal(connections - maxClients, waiting.Count);
        Assert.All(waiting, w => Assert.True(w.first.GetProperty("estimated_wait_seconds").GetDouble() > 0));

        Assert.All(waiting, w =>
        {
            Assert.Null(w.afterWait);
            Assert.Equal((WebSocketCloseStatus)1013, w.closeStatus);
        });

        var metrics = await gateway.GetStringAsync("/metrics");
        Assert.Contains($"gateway_admission_rejected_total{{reason=\"full\"}} {connections - maxClients}", metrics);
        Assert.Contains($"gateway_admission_active {maxClients}", metrics);
        await Task.WhenAll(outcomes.Select(o => o.client.DisposeAsync().AsTask()));
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_AfterASessionLeaves_IsAdmitted()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "1" });
        var first = await StreamClient.ConnectAsync(gateway.Stream());
        await first.StartAsync();

        await using (var second = await StreamClient.ConnectAsync(gateway.Stream()))
        {
            Assert.Equal("wait", (await second.ReceiveAsync()).GetProperty("type").GetString());
        }

        await first.SendJsonAsync(new { type = "close" });
        await first.ReceiveUntilClosedAsync();
        await first.DisposeAsync();

        // The slot is given back once the session has finished (after its close is sent and its pipeline disposed),
        // a moment after the client sees the close: wait for it, then the next client is admitted.
        var clients = gateway.Services.GetRequiredService<Gateway.Core.Admission.ClientManager>();
        using (var deadline = new CancellationTokenSource(StreamClient.Timeout))
        {
            while (clients.ActiveCount != 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        await using var third = await StreamClient.ConnectAsync(gateway.Stream());
        await third.StartAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task MaxConnectionTime_SilentClient_DisconnectsWithReasonAndCode4000()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Admission:MaxConnectionTime"] = "00:01:00", ["Admission:IdleTimeout"] = "01:00:00" },
            time);
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await time.WaitForTimerAsync(TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromSeconds(59));
        time.Advance(TimeSpan.FromSeconds(1));
        var messages = await client.ReceiveUntilClosedAsync();

        var disconnect = Assert.Single(messages);
        Assert.Equal("disconnect", disconnect.GetProperty("type").GetString());
        Assert.Equal("max_connection_time", disconnect.GetProperty("reason").GetString());
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task IdleTimeout_AudioKeepsTheSessionAlive_UntilAudioStops()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Admission:IdleTimeout"] = "00:00:10" },
            time);
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await client.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(8));
            await client.SendAudioAsync(Audio.Pcm16(20));
            await client.SendJsonAsync(new { type = "finalize" });
            var flushed = await client.ReceiveAsync(); // the server has handled the audio before answering
            Assert.Equal("flushed", flushed.GetProperty("type").GetString());
            Assert.Equal(20.0 * (i + 1), flushed.GetProperty("audio_ms").GetDouble());
        }

        Assert.Equal(WebSocketState.Open, client.State);
        time.Advance(TimeSpan.FromSeconds(10));
        var messages = await client.ReceiveUntilClosedAsync();

        var disconnect = Assert.Single(messages);
        Assert.Equal("idle_timeout", disconnect.GetProperty("reason").GetString());
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task IdleTimeout_ClientThatNeverStarts_IsClosed()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Admission:IdleTimeout"] = "00:00:05" },
            time);
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(5));

        var disconnect = Assert.Single(await client.ReceiveUntilClosedAsync());
        Assert.Equal("idle_timeout", disconnect.GetProperty("reason").GetString());
    }
}
