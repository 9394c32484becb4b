using System.Net.WebSockets;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Sessions;

/// <summary>
/// Every kind of bad input gets a clear error and close code, is counted, and leaves a healthy session that
/// streams in parallel untouched.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;
    private HealthySession _healthy = null!;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:MaxMessageBytes"] = "65536" });
        _healthy = await HealthySession.StartAsync(_gateway);
    }

    public async Task DisposeAsync()
    {
        await _healthy.FinishAsync(); // asserts the parallel session saw nothing but its own normal close
        await _gateway.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_MalformedJson_InvalidJsonAnd1007()
    {
        var (error, status) = await SendAndExpectErrorAsync(c => c.SendTextAsync("{\"type\":\"start\","));

        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        await AssertCountedAsync("invalid_json");
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_WrongType_InvalidConfigNamingTheField()
    {
        var (error, status) = await SendAndExpectErrorAsync(c => c.SendTextAsync("{\"type\":\"start\",\"sample_rate\":\"16000\"}"));

        Assert.Equal("invalid_config", error.GetProperty("code").GetString());
        Assert.Equal("sample_rate must be an integer (got string \"16000\")", error.GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_SegmentationOutOfServerBounds_InvalidConfigNamingTheSetting()
    {
        var (error, status) = await SendAndExpectErrorAsync(c => c.SendTextAsync("{\"type\":\"start\",\"segmentation\":{\"endpoint_silence_ms\":50}}"));

        Assert.Equal("invalid_config", error.GetProperty("code").GetString());
        Assert.Contains("endpoint_silence_ms must be between 100 and 5000 (was 50)", error.GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_UnknownEncoding_UnsupportedEncodingAnd1003()
    {
        var (error, status) = await SendAndExpectErrorAsync(c => c.SendTextAsync("{\"type\":\"start\",\"encoding\":\"mp3\"}"));

        Assert.Equal("unsupported_encoding", error.GetProperty("code").GetString());
        Assert.Equal("unsupported encoding \"mp3\"; use pcm_s16le, f32le or u8", error.GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_UnknownSampleRate_UnsupportedSampleRateAnd1003()
    {
        var (error, status) = await SendAndExpectErrorAsync(c => c.SendTextAsync("{\"type\":\"start\",\"sample_rate\":11025}"));

        Assert.Equal("unsupported_sample_rate", error.GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        await AssertCountedAsync("unsupported_sample_rate");
    }

    [Fact(Timeout = 60_000)]
    public async Task Query_UnknownSampleRate_RejectedBeforeAdmission()
    {
        await using var client = await StreamClient.ConnectAsync(_gateway.Stream(query: "?sample_rate=12345"));

        var error = await client.ReceiveAsync();

        Assert.Equal("unsupported_sample_rate", error.GetProperty("code").GetString());
        Assert.Null(await client.ReceiveOrCloseAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Query_UnknownParameter_InvalidConfig()
    {
        await using var client = await StreamClient.ConnectAsync(_gateway.Stream(query: "?sample_rte=16000"));

        var error = await client.ReceiveAsync();

        Assert.Equal("unknown query parameter \"sample_rte\"", error.GetProperty("message").GetString());
        Assert.Null(await client.ReceiveOrCloseAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Text_WhereAudioIsExpected_UnexpectedTextAnd1003()
    {
        var (error, status) = await SendAndExpectErrorAsync(async c =>
        {
            await c.StartAsync();
            await c.SendAudioAsync(Audio.Pcm16(40));
            await c.SendTextAsync("END_OF_AUDIO");
        });

        Assert.Equal("unexpected_text", error.GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        await AssertCountedAsync("unexpected_text");
    }

    [Fact(Timeout = 60_000)]
    public async Task Control_UnknownType_UnknownMessage()
    {
        var (error, status) = await SendAndExpectErrorAsync(async c =>
        {
            await c.StartAsync();
            await c.SendTextAsync("{\"type\":\"pause\"}");
        });

        Assert.Equal("unknown_message", error.GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
    }

    [Fact(Timeout = 60_000)]
    public async Task Audio_OversizedMessage_MessageTooBigAnd1009()
    {
        // One frame over the limit: refused at its header (OversizedFrameTests), so close 1009 with the reason, no event.
        var status = await SendAndExpectRefusalAsync(async c =>
        {
            await c.StartAsync();
            await c.SendAudioAsync(new byte[65_538]);
        });

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        await AssertCountedAsync("message_too_big");
    }

    [Fact(Timeout = 60_000)]
    public async Task Text_OversizedMessage_MessageTooBigAnd1009()
    {
        var status = await SendAndExpectRefusalAsync(c => c.SendTextAsync("{\"type\":\"start\",\"language\":\"" + new string('x', 70_000) + "\"}"));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        await AssertCountedAsync("message_too_big");
    }

    [Fact(Timeout = 60_000)]
    public async Task Audio_OddByteCounts_AreCarriedAndATrailingPartialSampleIsReported()
    {
        await using var client = await StreamClient.ConnectAsync(_gateway.Stream());
        await client.StartAsync();
        var audio = Audio.Pcm16(100);

        await client.SendAudioAsync(audio.AsMemory(0, 1001));
        await client.SendAudioAsync(audio.AsMemory(1001, 998));
        await client.SendJsonAsync(new { type = "finalize" });
        var flushed = await client.ReceiveAsync();
        await client.SendJsonAsync(new { type = "close" });
        var rest = await client.ReceiveUntilClosedAsync();

        Assert.Equal(999 / 16.0, flushed.GetProperty("audio_ms").GetDouble()); // 1999 bytes = 999 whole samples + 1 byte carried
        var warning = Assert.Single(rest);
        Assert.Equal("partial_sample", warning.GetProperty("code").GetString());
        Assert.False(warning.GetProperty("fatal").GetBoolean());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Connection_AbruptDisconnect_IsCountedAndFreesTheSlot()
    {
        // With resume off a drop ends the session at once (with resume on it detaches: Resume/ResumeTests).
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:ResumeWindow"] = "00:00:00" });
        var clients = gateway.Services.GetRequiredService<Gateway.Core.Admission.ClientManager>();
        var client = await StreamClient.ConnectAsync(gateway.Stream());
        await client.StartAsync();
        await client.SendAudioAsync(Audio.Pcm16(100));
        var before = clients.ActiveCount;

        client.Abort();
        await client.DisposeAsync();

        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        while (clients.ActiveCount != before - 1)
        {
            await Task.Delay(10, cts.Token);
        }

        var metrics = await gateway.GetStringAsync("/metrics");
        Assert.Contains("gateway_admission_disconnected_total{reason=\"client_aborted\"}", metrics);
    }

    private async Task<(JsonElement Error, WebSocketCloseStatus? Status)> SendAndExpectErrorAsync(Func<StreamClient, Task> send)
    {
        await using var client = await StreamClient.ConnectAsync(_gateway.Stream());
        await send(client);
        var messages = await client.ReceiveUntilClosedAsync();
        var error = messages.Single(m => m.GetProperty("type").GetString() == "error");
        Assert.True(error.GetProperty("fatal").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        await _healthy.PumpAsync();
        return (error, client.CloseStatus);
    }

    private async Task<WebSocketCloseStatus?> SendAndExpectRefusalAsync(Func<StreamClient, Task> send)
    {
        await using var client = await StreamClient.ConnectAsync(_gateway.Stream());
        await send(client);
        var messages = await client.ReceiveUntilClosedAsync();
        Assert.DoesNotContain(messages, m => m.GetProperty("type").GetString() == "error");
        Assert.Equal("message exceeds the limit of 65536 bytes", client.CloseDescription);
        await _healthy.PumpAsync();
        return client.CloseStatus;
    }

    private async Task AssertCountedAsync(string code)
    {
        var metrics = await _gateway.GetStringAsync("/metrics");
        Assert.Contains($"gateway_session_errors_total{{code=\"{code}\"}} 1", metrics);
    }

    /// <summary>A well-behaved client streaming alongside the bad ones.</summary>
    private sealed class HealthySession
    {
        private StreamClient _client = null!;
        private long _sentSamples;

        public static async Task<HealthySession> StartAsync(TestGateway gateway)
        {
            var session = new HealthySession { _client = await StreamClient.ConnectAsync(gateway.Stream()) };
            await session._client.StartAsync();
            await session.PumpAsync();
            return session;
        }

        /// <summary>Streams some audio and checks that the server has taken all of it.</summary>
        public async Task PumpAsync()
        {
            for (var i = 0; i < 5; i++)
            {
                await _client.SendAudioAsync(Audio.Pcm16(40));
                _sentSamples += 640;
            }

            await _client.SendJsonAsync(new { type = "finalize" });
            var flushed = await _client.ReceiveAsync();
            Assert.Equal("flushed", flushed.GetProperty("type").GetString());
            Assert.Equal(_sentSamples / 16.0, flushed.GetProperty("audio_ms").GetDouble());
        }

        public async Task FinishAsync()
        {
            await PumpAsync();
            await _client.SendJsonAsync(new { type = "close" });
            Assert.Empty(await _client.ReceiveUntilClosedAsync());
            Assert.Equal(WebSocketCloseStatus.NormalClosure, _client.CloseStatus);
            await _client.DisposeAsync();
        }
    }
}
