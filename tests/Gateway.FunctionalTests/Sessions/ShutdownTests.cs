using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Admission;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.FunctionalTests.EndToEnd.NativeResultsTests;

namespace Gateway.FunctionalTests.Sessions;

/// <summary>Stopping the gateway (SIGTERM): sessions get the results of the audio they sent, then server_shutdown and 1001.</summary>
public sealed class ShutdownTests
{
    [Fact(Timeout = 60_000)]
    public async Task StopHost_MidSpeech_DeliversFinalsOfAcceptedAudioThenDisconnects()
    {
        await using var gateway = await TestGateway.StartAsync();
        var fixture = SpeechFixture.ThreeUtterances;
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await client.StartAsync();
        // The first utterance and exactly the first three words of the second: "Call me back" (watermarked over
        // 4,864 samples each from sample 68,069), not "tomorrow".
        var cut = (68_069 + (3 * 4_864)) * 2;
        var bytes = fixture.Pcm16Bytes;
        for (var offset = 0; offset < cut; offset += 3200)
        {
            await client.SendAudioAsync(bytes.AsMemory(offset, Math.Min(3200, cut - offset)));
        }

        var messages = new List<JsonElement>();
        while (messages.Count(m => Type(m) == "speech_started") < 2)
        {
            messages.Add(await client.ReceiveAsync().WaitAsync(StreamClient.Timeout));
        }

        var stopping = gateway.StopAsync(); // the second utterance is still open: nothing has ended it
        messages.AddRange(await client.ReceiveUntilClosedAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        var finals = messages.Where(m => Type(m) == "final").Select(Words).ToList();
        Assert.Equal([fixture.Words.Take(8), ["Call", "me", "back"]], finals);
        Assert.Equal("finalize", messages.Last(m => Type(m) == "speech_ended").GetProperty("cause").GetString());
        var last = messages[^1];
        Assert.Equal("disconnect", Type(last));
        Assert.Equal("server_shutdown", last.GetProperty("reason").GetString());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus); // 1001 going away
        AssertSegmentLifecycles(messages);
    }

    [Fact(Timeout = 60_000)]
    public async Task BeginShutdown_NewConnectionIsRefusedAndIdleSessionEnds_OtherProtocolsToo()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var idle = await StreamClient.ConnectAsync(gateway.Stream());
        await idle.StartAsync();

        // What the host does on SIGTERM before the server stops listening.
        gateway.Services.GetRequiredService<ClientManager>().BeginShutdown();
        var idleMessages = await idle.ReceiveUntilClosedAsync().WaitAsync(StreamClient.Timeout);
        await using var late = await StreamClient.ConnectAsync(gateway.Stream());
        await late.SendJsonAsync(new { type = "start" });
        var lateMessages = await late.ReceiveUntilClosedAsync().WaitAsync(StreamClient.Timeout);
        await using var whisper = await StreamClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await whisper.SendJsonAsync(new { uid = "u-1", language = "en", task = "transcribe", model = "small", use_vad = true });
        var whisperMessages = await whisper.ReceiveUntilClosedAsync().WaitAsync(StreamClient.Timeout);

        Assert.Equal("server_shutdown", Assert.Single(idleMessages).GetProperty("reason").GetString());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, idle.CloseStatus);
        Assert.Equal("server_shutdown", Assert.Single(lateMessages).GetProperty("reason").GetString());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, late.CloseStatus);
        Assert.Equal("DISCONNECT", Assert.Single(whisperMessages).GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, whisper.CloseStatus);
        // The idle session releases its slot just after its close frame went out: wait for it, bounded.
        await Resume.ResumeTests.WaitUntilAsync(() => gateway.Services.GetRequiredService<ClientManager>().ActiveCount == 0);
    }

    private static string[] Words(JsonElement final) =>
        [.. final.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd('.'))];
}
