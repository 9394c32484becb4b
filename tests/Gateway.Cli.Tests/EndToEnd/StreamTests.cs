using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary><c>gateway-cli stream</c> from real network sources: an HLS origin and an RTSP server on loopback.</summary>
public sealed class StreamTests
{
    [Fact(Timeout = 30_000)]
    public async Task Stream_HlsPlaylistWithFlacSegments_SrtHoldsEveryWord()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var origin = Directory.CreateDirectory(dir.File("hls")).FullName;
        // FLAC in fMP4 segments is lossless, so the watermarked words survive the HLS path.
        await Media.FfmpegAsync("-i", Media.WatermarkedWav(dir), "-c:a", "flac", "-strict", "-2", "-f", "hls", "-hls_segment_type", "fmp4",
            "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_filename", Path.Combine(origin, "seg%03d.m4s"), Path.Combine(origin, "index.m3u8"));
        await using var http = await StaticHttpServer.StartAsync(origin);

        var (exit, output) = await CliRunner.RunAsync("stream", new Uri(http.Url, "index.m3u8").ToString(), "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.True(exit == 0, output);
        Assert.Contains("/index.m3u8", http.Requests);
        Assert.Contains(http.Requests, r => r.EndsWith(".m4s", StringComparison.Ordinal));
        CaptionAssert.CuesAreFixtureWords(SpeechFixture.ThreeUtterances, SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt"))));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_RtspWithL16OverInterleavedTcp_SrtHoldsEveryWord()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var fixture = SpeechFixture.ThreeUtterances;
        await using var rtsp = new RtspServer(fixture.Samples);

        var (exit, output) = await CliRunner.RunAsync("stream", rtsp.Url.ToString(), "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.True(exit == 0, output);
        await rtsp.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        // The stream ended by itself (RTCP BYE), not by a timeout: ffmpeg tore the session down.
        Assert.Equal(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "TEARDOWN"], rtsp.Methods);
        Assert.Equal((fixture.Samples.Length + 319) / 320, rtsp.PacketsSent);
        CaptionAssert.CuesAreFixtureWords(fixture, SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt"))));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_Duration_StopsAfterThatMuchAudio()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        await using var rtsp = new RtspServer(SpeechFixture.ThreeUtterances.Samples);

        var (exit, output) = await CliRunner.RunAsync("stream", rtsp.Url.ToString(), "--duration", "3.5", "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.True(exit == 0, output);
        // Only the first utterance (0.6-2.9 s) lies within the first 3.5 s.
        var cues = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt")));
        Assert.Equal("The quick brown fox jumps over the dog.", Assert.Single(cues).Text);
    }
}
