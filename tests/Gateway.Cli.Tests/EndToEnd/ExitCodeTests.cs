using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary>Each way a session can fail has its own exit code (docs/clients.md).</summary>
public sealed class ExitCodeTests
{
    [Fact(Timeout = 30_000)]
    public async Task Transcribe_ServerFull_ExitsWithWaitAndTheEstimatedWait()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "1" });
        using var dir = new TempDirectory();
        using var holder = new ClientWebSocket();
        await holder.ConnectAsync(gateway.Stream(), CancellationToken.None);
        await holder.SendAsync(Encoding.UTF8.GetBytes("""{"type":"start"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        await holder.ReceiveAsync(new byte[4096], CancellationToken.None);

        var (exit, output) = await CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--fast", "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.Equal(Gateway.Cli.ExitCodes.Wait, exit);
        Assert.Contains("server full (1 sessions); estimated wait", output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.srt")));
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_HotwordWeightRejectedByServer_ExitsWithError()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();

        var (exit, output) = await CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--fast", "--hotwords", "fox:500", "-s", gateway.Http.ToString());

        Assert.Equal(Gateway.Cli.ExitCodes.Error, exit);
        Assert.Contains("invalid_config", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_MaxConnectionTimeReached_ExitsWithDisconnectAndKeepsTheCaptionsSoFar()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxConnectionTime"] = "00:00:06" });
        using var dir = new TempDirectory();

        var (exit, output) = await CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--speed", "1", "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.Equal(Gateway.Cli.ExitCodes.Disconnect, exit);
        Assert.Contains("max_connection_time", output, StringComparison.Ordinal);
        // The first utterance ended (2.9 s + endpoint silence) well before the 6 s limit (room for a loaded machine's
        // lag); its caption is kept. The 9.4 s recording is still playing when the limit cuts it.
        var cues = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt")));
        Assert.Equal("The quick brown fox jumps over the dog.", cues[0].Text);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_NothingListening_ExitsWithCannotConnect()
    {
        using var dir = new TempDirectory();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, output) = await CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "-s", $"ws://127.0.0.1:{port}/v1/stream");

        Assert.Equal(Gateway.Cli.ExitCodes.CannotConnect, exit);
        Assert.Contains("cannot connect", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_FileFfmpegCannotDecode_ExitsWithFfmpegFailure()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var notAudio = dir.File("notes.wav");
        await File.WriteAllTextAsync(notAudio, "this is not audio");

        var (exit, output) = await CliRunner.RunAsync("transcribe", notAudio, "-s", gateway.Http.ToString());

        Assert.Equal(Gateway.Cli.ExitCodes.Ffmpeg, exit);
        Assert.Contains("ffmpeg cannot read", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Mic_NoSuchCaptureDevice_ExitsWithFfmpegFailureNamingTheDevice()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (exit, output) = await CliRunner.RunAsync("mic", "--input-format", "alsa", "--device", "no-such-device", "-s", gateway.Http.ToString());

        Assert.Equal(Gateway.Cli.ExitCodes.Ffmpeg, exit);
        Assert.Contains("cannot capture audio from no-such-device", output, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("transcribe")]
    [InlineData("transcribe", "missing-file.wav")]
    [InlineData("stream", "rtsp://127.0.0.1/x", "--rtsp-transport", "quic")]
    [InlineData("transcribe", "x.wav", "--server", "ftp://host/")]
    [InlineData("record")]
    public async Task Run_InvalidCommandLine_ExitsWithUsage(params string[] args)
    {
        var (exit, output) = await CliRunner.RunAsync(args);

        Assert.Equal(Gateway.Cli.ExitCodes.Usage, exit);
        Assert.Contains("error:", output, StringComparison.Ordinal);
    }
}
