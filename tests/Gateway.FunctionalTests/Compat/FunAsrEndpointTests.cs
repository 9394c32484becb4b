using System.Net.WebSockets;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Compat;

/// <summary>The FunASR-compatible endpoints (funasr.md §8) over real sockets, driven like the official clients.</summary>
public sealed class FunAsrEndpointTests
{
    [Fact(Timeout = 60_000)]
    public async Task TwoPass_ManyUtterancesOnOneConnection_ExactlyOneTerminalPerEos()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));

        await client.SendPythonConfigAsync("2pass", "utt-1");
        await client.SendAudioAsync(Audio.Pcm16(300));
        await client.SendTextAsync("""{"is_speaking":false}""");
        var first = await client.ExpectRawAsync();

        await client.SendPythonConfigAsync("2pass", "utt-2");
        await client.SendAudioAsync(Audio.Pcm16(200), frameBytes: 204_800);
        await client.SendTextAsync("""{"is_finished":true}""");
        var second = await client.ExpectRawAsync();

        Assert.Equal("""{"is_final":true,"text":"","wav_name":"utt-1"}""", first);
        Assert.Equal("""{"is_final":true,"text":"","wav_name":"utt-2"}""", second);
        Assert.Equal("binary", client.SubProtocol);
        Assert.Empty(await client.CloseAndDrainAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task TwoPass_EosWithIsEnd_PythonClientGetsTerminalThenAck()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));
        await client.SendPythonConfigAsync("2pass", "demo");
        await client.SendAudioAsync(Audio.Pcm16(120));

        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
        var messages = await client.ReceiveUntilEndAckAsync();

        Assert.Equal(2, messages.Count);
        Assert.True(messages[0].GetProperty("is_final").GetBoolean());
        var ack = messages[1];
        Assert.True(ack.GetProperty("is_final").GetBoolean()); // PYC raises "server failed to finalize" otherwise
        Assert.Equal("2pass", ack.GetProperty("mode").GetString());
        Assert.Equal("demo", ack.GetProperty("wav_name").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Offline_CppClientReusingTheSocket_ExactlyOneMessagePerFile()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr/offline"));

        var replies = new List<string>();
        foreach (var file in new[] { "a.wav", "b.wav", "c.wav" })
        {
            await client.SendTextAsync($$"""{"chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"{{file}}","wav_format":"pcm","audio_fs":16000,"itn":true,"svs_itn":true,"is_speaking":true}""");
            await client.SendAudioAsync(Audio.Pcm16(250), frameBytes: 204_800);
            await client.SendTextAsync("""{"is_speaking":false}""");
            replies.Add(await client.ExpectRawAsync()); // the C++ offline client waits for exactly one message
        }

        Assert.Equal(
            [
                """{"is_final":false,"mode":"offline","text":"","wav_name":"a.wav"}""",
                """{"is_final":false,"mode":"offline","text":"","wav_name":"b.wav"}""",
                """{"is_final":false,"mode":"offline","text":"","wav_name":"c.wav"}""",
            ],
            replies);
        Assert.Empty(await client.CloseAndDrainAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task Offline_H5FileModeWithWavHeaderInTheStream_HeaderIsNotAudio()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["FunAsrEndpoint:OfflineIsFinal"] = "true" });
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr/offline"));

        await client.SendTextAsync("""{"chunk_size":[5,10,5],"wav_name":"h5","is_speaking":true,"chunk_interval":10,"itn":false,"mode":"offline","wav_format":"PCM","audio_fs":16000}""");
        await client.SendAudioAsync(Wav(Audio.Pcm16(1_000)), frameBytes: 960);
        await client.SendTextAsync("""{"chunk_size":[5,10,5],"wav_name":"h5","is_speaking":false,"chunk_interval":10,"mode":"offline"}""");
        var messages = await client.ReceiveUntilFinalAsync(); // current H5 file mode closes on is_final:true

        Assert.Equal("""{"is_final":true,"mode":"offline","text":"","wav_name":"h5"}""", Assert.Single(messages).GetRawText());
        await client.CloseAndDrainAsync();
        await Metrics.WaitForAsync(gateway, "gateway_audio_samples_total 16000\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task TwoPass_AudioBeforeTheFirstConfig_AcceptedAndTheEosAnswered()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));

        await client.SendAudioAsync(Audio.Pcm16(100));
        await client.SendTextAsync("""{"mode":"2pass","chunk_size":"5,10,5","wav_name":"late","is_speaking":true}""");
        await client.SendAudioAsync(Audio.Pcm16(100));
        await client.SendTextAsync("""{"is_speaking":false}""");

        Assert.Equal("""{"is_final":true,"text":"","wav_name":"late"}""", await client.ExpectRawAsync());
        await client.CloseAndDrainAsync();
        await Metrics.WaitForAsync(gateway, "gateway_audio_samples_total 3200\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task TwoPass_EosAsTheFirstMessage_StillOneTerminal()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));

        await client.SendTextAsync("""{"wav_name":"empty","is_speaking":false}""");

        Assert.Equal("""{"is_final":true,"text":"","wav_name":"empty"}""", await client.ExpectRawAsync());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("""{"mode":"2pass","wav_name":"w","wav_format":"mp3","is_speaking":true}""", "unsupported_encoding", WebSocketCloseStatus.InvalidMessageType)]
    [InlineData("""{"mode":"2pass","wav_name":"w","chunk_size":"big","is_speaking":true}""", "invalid_config", WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData("""{"mode":"2pass","wav_name":""", "invalid_json", WebSocketCloseStatus.InvalidPayloadData)]
    public async Task BadConfig_ExplicitErrorThenClose(string config, string code, WebSocketCloseStatus status)
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));

        await client.SendTextAsync(config);
        var error = JsonDocument.Parse(await client.ExpectRawAsync()).RootElement;

        Assert.Equal(code, error.GetProperty("error").GetString());
        Assert.True(error.GetProperty("is_final").GetBoolean());
        Assert.StartsWith("ERROR. ", error.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Null(await client.ReceiveRawAsync());
        Assert.Equal(status, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task BadConfigBetweenUtterances_ErrorCarriesTheCurrentWavName()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr/offline"));
        await client.SendPythonConfigAsync("offline", "one");
        await client.SendTextAsync("""{"is_speaking":false}""");
        await client.ExpectRawAsync();

        await client.SendTextAsync("""{"mode":"loud"}""");

        Assert.Equal(
            """{"error":"invalid_config","is_final":true,"text":"ERROR. mode must be \"2pass\", \"online\" or \"offline\" (got \"loud\")","wav_name":"one"}""",
            await client.ExpectRawAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task ServerFull_ExplicitErrorAnd1013()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "1" });
        await using var holder = await StreamClient.ConnectAsync(gateway.Stream());
        await holder.StartAsync();

        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));
        var error = JsonDocument.Parse(await client.ExpectRawAsync()).RootElement;

        Assert.Equal("server_full", error.GetProperty("error").GetString());
        Assert.True(error.GetProperty("is_final").GetBoolean());
        Assert.Null(await client.ReceiveRawAsync());
        Assert.Equal((WebSocketCloseStatus)1013, client.CloseStatus);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("funasr-2pass", """{"is_final":true,"text":"","wav_name":"root"}""")]
    [InlineData("funasr-offline", """{"is_final":false,"mode":"offline","text":"","wav_name":"root"}""")]
    public async Task RootPath_FunAsrConfig_DetectedWithTheConfiguredFlavour(string flavour, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["FunAsrEndpoint:RootFlavour"] = flavour });
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/"));

        await client.SendPythonConfigAsync("2pass", "root");
        await client.SendAudioAsync(Audio.Pcm16(100));
        await client.SendTextAsync("""{"is_speaking":false}""");

        Assert.Equal(expected, await client.ExpectRawAsync());
        Assert.Equal("binary", client.SubProtocol);
    }

    [Fact(Timeout = 60_000)]
    public async Task RootPath_AudioFirst_IsFunAsr()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/"));

        await client.SendAudioAsync(Audio.Pcm16(60));
        await client.SendTextAsync("""{"is_speaking":false}""");

        Assert.Equal("""{"is_final":true,"text":"","wav_name":"wav-default-id"}""", await client.ExpectRawAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task RootPath_UnrecognisedFirstMessage_ErrorThenClose()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream("/"));

        await client.SendTextAsync("""{"hello":"world"}""");
        var error = await client.ReceiveAsync();

        Assert.Equal("unknown_message", error.GetProperty("code").GetString());
        Assert.Null(await client.ReceiveOrCloseAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task RootPath_NativeStart_IsNative()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream("/"));

        var ready = await client.StartAsync();

        Assert.Equal(16_000, ready.GetProperty("sample_rate").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task RootPath_PlainHttpGet_ListsTheEndpoints()
    {
        await using var gateway = await TestGateway.StartAsync();

        var text = await gateway.GetStringAsync("/");

        Assert.Contains("/funasr/offline", text, StringComparison.Ordinal);
        Assert.Contains("/whisperlive", text, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = StreamClient.Timeout };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/no-such-page", UriKind.Relative))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.UpgradeRequired, (await http.GetAsync(new Uri("/funasr", UriKind.Relative))).StatusCode);
    }

    /// <summary>PCM16 16 kHz mono as a WAV file (NAudio).</summary>
    private static byte[] Wav(byte[] pcm)
    {
        var file = new MemoryStream();
        using (var writer = new NAudio.Wave.WaveFileWriter(file, new NAudio.Wave.WaveFormat(16_000, 16, 1)))
        {
            writer.Write(pcm);
        }

        return file.ToArray();
    }
}
