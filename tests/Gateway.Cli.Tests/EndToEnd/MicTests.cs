using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary>
/// <c>gateway-cli mic</c> without a microphone: CI machines have no capture device, so the device is an ffmpeg
/// lavfi source (<c>--input-format lavfi --device amovie=…</c>) playing the watermarked fixture. This runs the
/// mic command's whole live path (device input, unpaced sending, captions); only the capture driver differs.
/// </summary>
public sealed class MicTests
{
    [Fact(Timeout = 30_000)]
    public async Task Mic_LavfiDeviceInput_CaptionsTheDeviceAudio()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var wav = Media.WatermarkedWav(dir);

        var (exit, output) = await CliRunner.RunAsync("mic", "--input-format", "lavfi", "--device", $"amovie={wav}", "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.True(exit == 0, output);
        CaptionAssert.CuesAreFixtureWords(SpeechFixture.ThreeUtterances, SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt"))));
    }
}
