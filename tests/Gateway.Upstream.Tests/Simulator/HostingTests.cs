using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using FunAsr.Simulator;
using FunAsr.Simulator.Hosting;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class HostingTests
{
    [Fact(Timeout = 10_000)]
    public async Task Tls_PinnedThumbprint_ConnectsAndTranscribes()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o => o.Tls = true);
        Assert.Equal("wss", sim.Url.Scheme);
        Assert.Equal(sim.Certificate!.GetCertHashString(), sim.CertificateThumbprint);
        Assert.Equal(64, sim.CertificateSha256Thumbprint!.Length);

        await using var client = await SimClient.ConnectAsync(sim.Url, o => o.RemoteCertificateValidationCallback =
            (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == sim.CertificateSha256Thumbprint);
        await client.ConfigAsync("utt-1", mode: "offline");
        await client.SendAudioAsync(Bytes(Speech([new("secure", 200)])));
        await client.EosAsync();

        Assert.Equal(["2pass-offline:true:0:secure."], Cpp2PassTests.Texts(await client.ReceiveUntilFinalAsync()));
    }

    [Fact(Timeout = 10_000)]
    public async Task Tls_DefaultValidation_SelfSignedRejected()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o => o.Tls = true);

        var error = await Assert.ThrowsAsync<WebSocketException>(() => SimClient.ConnectAsync(sim.Url));
        Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(error.InnerException?.InnerException ?? error.InnerException);
    }

    [Fact(Timeout = 10_000)]
    public async Task Tls_PlainWsClient_Fails()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o => o.Tls = true);

        await Assert.ThrowsAsync<WebSocketException>(() => SimClient.ConnectAsync(new UriBuilder(sim.Url) { Scheme = "ws" }.Uri));
    }

    [Fact(Timeout = 10_000)]
    public async Task Connect_AnyPathWithBinarySubprotocol_AcceptedWithoutSelectingOne()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);

        await using var client = await SimClient.ConnectAsync(new Uri(sim.Url, "some/path?x=1"), o => o.AddSubProtocol("binary"));

        Assert.Null(client.Socket.SubProtocol);
        await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpened == 1, CancellationToken.None);
        Assert.Equal("/some/path", sim.Stats.Connections[0].Path);
    }

    [Fact(Timeout = 10_000)]
    public async Task Connect_EchoBinarySubprotocol_Selected()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o => o.EchoBinarySubprotocol = true);

        await using var client = await SimClient.ConnectAsync(sim.Url, o => o.AddSubProtocol("binary"));

        Assert.Equal("binary", client.Socket.SubProtocol);
    }

    [Fact(Timeout = 20_000)]
    public async Task Ping_IdleConnectionWithKeepAliveTimeout_PongsKeepItAlive()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url, o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            o.KeepAliveTimeout = TimeSpan.FromSeconds(4); // room for a loaded machine (1 s failed once at start-up)
        });

        // The client only sees pongs while a receive is pending. Idle longer than interval + timeout, so a
        // server that never answered would have had the connection aborted by now.
        var reply = client.ReceiveAsync();
        await client.ConfigAsync("utt-1");
        await Task.Delay(4500);
        await client.EosAsync();

        Assert.NotNull(await reply);
    }

    [Fact(Timeout = 10_000)]
    public async Task Stats_TwoConnections_CountsBytesConfigsAndCloses()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        var audio = Bytes(Speech([new("count", 200)]));

        for (var i = 0; i < 2; i++)
        {
            await using var client = await SimClient.ConnectAsync(sim.Url);
            await client.ConfigAsync($"utt-{i}");
            await client.SendAudioAsync(audio, frameBytes: null, seed: i);
            await client.EosAsync();
            await client.ReceiveUntilFinalAsync();
        }

        await sim.Stats.WaitUntilAsync(s => s.ConnectionsOpen == 0, CancellationToken.None);
        Assert.Equal(2, sim.Stats.ConnectionsOpened);
        Assert.Equal(2, sim.Stats.ConfigsReceived);
        Assert.Equal(2, sim.Stats.UtterancesStarted);
        Assert.Equal(2, sim.Stats.UtterancesCompleted);
        Assert.All(sim.Stats.Connections, c => Assert.Equal(audio.Length, c.BytesReceived));
        Assert.All(sim.Stats.Connections, c => Assert.False(c.Open));
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Theory(Timeout = 15_000)]
    [InlineData(SimulatorFlavour.Cpp2Pass)]
    [InlineData(SimulatorFlavour.CppOffline)]
    public async Task Connections_ManyConcurrent_EachGetsItsOwnExactText(SimulatorFlavour flavour)
    {
        await using var sim = await Sim.StartAsync(flavour);

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            await using var client = await SimClient.ConnectAsync(sim.Url);
            var texts = new List<string>();
            for (var u = 0; u < 2; u++)
            {
                var word = $"c{i}u{u}";
                await client.ConfigAsync(word, mode: "offline");
                await client.SendAudioAsync(Bytes(Speech([new(word, 150), new("tail", 150)], seed: i)), frameBytes: null, seed: (i * 10) + u);
                await client.EosAsync();
                var reply = flavour == SimulatorFlavour.Cpp2Pass ? (await client.ReceiveUntilFinalAsync())[^1] : (await client.ReceiveAsync())!;
                using var doc = System.Text.Json.JsonDocument.Parse(reply);
                texts.Add($"{doc.RootElement.GetProperty("wav_name").GetString()}={doc.RootElement.GetProperty("text").GetString()}");
            }

            return texts;
        }));

        var suffix = flavour == SimulatorFlavour.Cpp2Pass ? "." : string.Empty;
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal([$"c{i}u0=c{i}u0 tail{suffix}", $"c{i}u1=c{i}u1 tail{suffix}"], results[i]);
        }

        Assert.Equal(48, sim.Stats.UtterancesCompleted);
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Equal(0, sim.Stats.ViolationCount);
    }

    [Fact(Timeout = 10_000)]
    public async Task Message_OverPythonLimit_ClosedWith1009()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendBinaryAsync(new byte[(1024 * 1024) + 2]);

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Socket.CloseStatus);
    }

    [Fact(Timeout = 10_000)]
    public async Task Message_UnderCppLimit_Accepted()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);
        var pcm = Bytes(Unmarked(40_000));

        await client.SendBinaryAsync(pcm);
        await client.EosAsync();

        Assert.Contains(string.Join(' ', FunAsr.Simulator.Content.Watermark.BlockTokens(pcm)), await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task StartAsync_InvalidOptions_EveryProblemReportedAtOnce()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FunAsrSimulator.StartAsync(new SimulatorOptions
        {
            Port = 70000,
            StepLatency = TimeSpan.FromMilliseconds(-1),
            FinalLatency = TimeSpan.FromMilliseconds(-2),
            DecoderWorkers = -1,
            DecodeCostPerAudioSecond = TimeSpan.FromSeconds(-1),
        }));

        Assert.Equal(
            "Invalid simulator options: Port: 70000 is outside 0..65535. StepLatency: -00:00:00.0010000 is negative. FinalLatency: -00:00:00.0020000 is negative. DecoderWorkers: -1 is negative. DecodeCostPerAudioSecond: -00:00:01 is negative. (Parameter 'options')",
            error.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task StartAsync_PortInUse_Throws()
    {
        await using var first = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);

        await Assert.ThrowsAnyAsync<IOException>(() => Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o => o.Port = first.Url.Port));
    }

    [Fact]
    public void CommandLine_AllOptions_Parsed()
    {
        var ok = CommandLine.TryParse(
            ["--port", "0", "--flavour", "funasr-python", "--tls", "--fault-drop", "0.2", "--fault-silent", "0.3", "--delay-ms", "15", "--refuse", "reject-upgrade", "--seed", "7", "--decoders", "4", "--decode-cost", "0.25"],
            out var options, out var error, out var help);

        Assert.True(ok, error);
        Assert.False(help);
        Assert.Equal(0, options.Port);
        Assert.Equal(SimulatorFlavour.Python, options.Flavour);
        Assert.True(options.Tls);
        Assert.Equal(0.2, options.Faults.DropConnectionProbability);
        Assert.Equal(0.3, options.Faults.SilentFinalProbability);
        Assert.Equal(TimeSpan.FromMilliseconds(15), options.Faults.ExtraDelay);
        Assert.Equal(FunAsr.Simulator.Faults.RefuseMode.RejectUpgrade, options.Faults.RefuseConnections);
        Assert.Equal(7, options.Faults.Seed);
        Assert.Equal(4, options.DecoderWorkers);
        Assert.Equal(TimeSpan.FromSeconds(0.25), options.DecodeCostPerAudioSecond);
    }

    [Theory]
    [InlineData("--flavour", "funasr-whisper")]
    [InlineData("--fault-drop", "2")]
    [InlineData("--bogus", "1")]
    [InlineData("--decoders", "-1")]
    [InlineData("--decode-cost", "x")]
    public void CommandLine_BadValue_Rejected(string name, string value)
    {
        Assert.False(CommandLine.TryParse([name, value], out _, out var error, out _));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void CommandLine_Help_SaysItIsASimulator()
    {
        Assert.True(CommandLine.TryParse(["--help"], out _, out _, out var help));
        Assert.True(help);
        Assert.Contains("not a speech recogniser", CommandLine.Usage, StringComparison.Ordinal);
    }
}
