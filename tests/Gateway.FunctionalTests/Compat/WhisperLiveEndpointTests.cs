using System.Globalization;
using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.FunctionalTests.Compat;

/// <summary>The WhisperLive checklist (whisperlive.md §1, §10) over real sockets with a client that behaves like Python's.</summary>
public sealed class WhisperLiveEndpointTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("/")]
    [InlineData("/whisperlive")]
    [InlineData("/whisperlive/any/path?token=secret")]
    [InlineData("/ws")]
    [InlineData("/some/other/path?token=x")]
    public async Task Options_PythonClient_ServerReadyWithFasterWhisperThenLanguage(string path)
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["WhisperLive:DefaultLanguage"] = "de" });
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream(path));

        await client.SendOptionsAsync();
        var ready = await client.ExpectAsync();
        var language = await client.ExpectAsync();

        Assert.Equal("SERVER_READY", ready.GetProperty("message").GetString());
        Assert.True(client.Recording);
        Assert.Equal("faster_whisper", client.ServerBackend);
        Assert.Equal("de", client.Language);
        Assert.Equal(1, language.GetProperty("language_prob").GetDouble());
        Assert.Equal(0, client.ForeignMessages);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connect_ServerFull_WaitInMinutesWithUidThenClose()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Admission:MaxClients"] = "1", ["Admission:MaxConnectionTime"] = "00:10:00", ["Admission:IdleTimeout"] = "01:00:00" },
            time);
        await using var first = await WhisperLiveClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await first.SendOptionsAsync(o => o["language"] = "en");
        await first.ExpectAsync();
        time.Advance(TimeSpan.FromMinutes(4));

        await using var second = await WhisperLiveClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await second.SendOptionsAsync();
        var messages = await second.ReceiveUntilClosedAsync();

        var wait = Assert.Single(messages);
        Assert.Equal("WAIT", wait.GetProperty("status").GetString());
        Assert.True(second.Waiting);
        Assert.Equal(6.0, second.WaitMinutes);
        Assert.False(second.Recording);
        Assert.Equal((WebSocketCloseStatus)1013, second.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task MaxConnectionTime_FakeClock_DisconnectThenClose()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Admission:MaxConnectionTime"] = "00:01:00", ["Admission:IdleTimeout"] = "01:00:00" },
            time);
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/"));
        await client.SendOptionsAsync(o => o["language"] = "en");
        await client.ExpectAsync();
        await client.SendAudioAsync(new byte[4 * 4_096]);

        time.Advance(TimeSpan.FromSeconds(60));
        var messages = await client.ReceiveUntilClosedAsync();

        var disconnect = Assert.Single(messages);
        Assert.Equal("DISCONNECT", disconnect.GetProperty("message").GetString());
        Assert.False(disconnect.TryGetProperty("status", out _));
        Assert.False(client.Recording);
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("model", null, "the options message is missing required key \"model\"")]
    [InlineData("audio_format", "mp3", "unsupported audio_format \"mp3\"; use \"float32\", \"int16\" or \"uint8\"")]
    [InlineData("task", "summarize", "task must be \"transcribe\" or \"translate\" (got \"summarize\")")]
    public async Task Options_Invalid_ErrorWithUidThenClose(string key, string? value, string expected)
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/"));

        await client.SendOptionsAsync(o =>
        {
            if (value is null)
            {
                o.Remove(key);
            }
            else
            {
                o[key] = value;
            }
        });
        var messages = await client.ReceiveUntilClosedAsync();

        var error = Assert.Single(messages);
        Assert.Equal("ERROR", error.GetProperty("status").GetString());
        Assert.True(client.ServerError);
        Assert.Equal(expected, client.LastStatusMessage);
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task TextFrameMidStream_ErrorInsteadOfSilentClose()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await client.SendOptionsAsync(o => o["language"] = "en");
        await client.ExpectAsync();

        await client.SendTextAsync("{\"hello\":1}");
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Equal("ERROR", Assert.Single(messages).GetProperty("status").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task OversizedFrame_RefusedAtItsHeaderWithClose1009AndTheReason()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:MaxMessageBytes"] = "65536" });
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await client.SendOptionsAsync(o => o["language"] = "en");
        await client.ExpectAsync();

        // One frame over the limit is refused at its header (docs/protocol.md "Oversized frames"): close 1009 with the
        // reason, before any of the payload is read, so there is no ERROR message.
        await client.SendAudioAsync(new byte[70_000]);
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Empty(messages);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        Assert.Contains("exceeds the limit of 65536 bytes", client.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task EndOfAudio_AfterAPartialSample_WarningNotErrorThenNormalClose()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await client.SendOptionsAsync(o => o["language"] = "en");
        await client.ExpectAsync();

        await client.SendAudioAsync(new byte[4 * 100 + 3]);
        await client.SendEndOfAudioBinaryAsync();
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Equal("WARNING", Assert.Single(messages).GetProperty("status").GetString());
        Assert.False(client.ServerError);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("float32", true)]
    [InlineData("int16", false)]
    [InlineData("uint8", true)]
    [InlineData(null, false)]
    public async Task Audio_EachFormatThenEndOfAudio_OneSecondAcceptedAndNormalClose(string? format, bool endAsText)
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/"));
        await client.SendOptionsAsync(o =>
        {
            o["language"] = "en";
            if (format is not null)
            {
                o["audio_format"] = format;
            }
        });
        await client.ExpectAsync();

        var audio = Encode(format ?? "float32", Audio.Pcm16(1_000));
        for (var offset = 0; offset < audio.Length; offset += 3_333) // frames that split samples
        {
            await client.SendAudioAsync(audio.AsMemory(offset, Math.Min(3_333, audio.Length - offset)));
        }

        await (endAsText ? client.SendEndOfAudioTextAsync() : client.SendEndOfAudioBinaryAsync());
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Empty(messages);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await Metrics.WaitForAsync(gateway, "gateway_audio_samples_total 16000\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task WhisperLiveAndNativeSessions_ShareOneAdmissionLimit()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "2" });
        await using var a = await WhisperLiveClient.ConnectAsync(gateway.Stream("/whisperlive"));
        await a.SendOptionsAsync(o => o["language"] = "en");
        await a.ExpectAsync();
        await using var b = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));
        await b.SendPythonConfigAsync("2pass", "x");
        var clients = gateway.Services.GetRequiredService<ClientManager>();
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        while (clients.ActiveCount != 2)
        {
            await Task.Delay(10, cts.Token);
        }

        await using var c = await WhisperLiveClient.ConnectAsync(gateway.Stream("/ws"));
        await c.SendOptionsAsync();

        Assert.Equal("WAIT", (await c.ExpectAsync()).GetProperty("status").GetString());
    }

    /// <summary>PCM16 to the client's wire format (whisperlive.md §4: float32 = int16 / 32768, uint8 = x / 256 + 128).</summary>
    private static byte[] Encode(string format, byte[] pcm16)
    {
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(pcm16);
        return format switch
        {
            "int16" => pcm16,
            "uint8" => samples.ToArray().Select(s => (byte)((s >> 8) + 128)).ToArray(),
            _ => System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.ToArray().Select(s => s / 32768f).ToArray().AsSpan()).ToArray(),
        };
    }
}
