using System.Net.WebSockets;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Sessions;

public sealed class NativeStreamTests
{
    [Fact(Timeout = 60_000)]
    public async Task Start_WithQueryAndMessage_ReadyEchoesMergedSettings()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream(query: "?sample_rate=48000&encoding=f32le"));

        var ready = await client.StartAsync(new { channels = 2, language = "en", hotwords = new[] { "gateway" }, interim_results = false });

        Assert.Equal("f32le", ready.GetProperty("encoding").GetString());
        Assert.Equal(48_000, ready.GetProperty("sample_rate").GetInt32());
        Assert.Equal(2, ready.GetProperty("channels").GetInt32());
        Assert.Equal("en", ready.GetProperty("language").GetString());
        Assert.False(ready.GetProperty("interim_results").GetBoolean());
        Assert.Equal("gateway", ready.GetProperty("hotwords")[0].GetString());
        Assert.StartsWith("s-", ready.GetProperty("session_id").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Close_AfterAudio_ClosesNormally()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        await client.StartAsync();

        for (var i = 0; i < 10; i++)
        {
            await client.SendAudioAsync(Audio.Pcm16(100));
        }

        await client.SendJsonAsync(new { type = "close" });
        var rest = await client.ReceiveUntilClosedAsync();

        Assert.Empty(rest);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Audio_WithoutStartMessage_StartsFromQueryString()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream(query: "?sample_rate=8000"));

        await client.SendAudioAsync(new byte[1600]);
        var ready = await client.ReceiveAsync();

        Assert.Equal("ready", ready.GetProperty("type").GetString());
        Assert.Equal(8_000, ready.GetProperty("sample_rate").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task Get_WithoutUpgrade_Returns426()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.Http };

        var response = await http.GetAsync("/v1/stream");

        Assert.Equal(System.Net.HttpStatusCode.UpgradeRequired, response.StatusCode);
    }
}
