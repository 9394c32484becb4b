using System.Diagnostics;
using System.Text.Json;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary><c>gateway-cli transcribe</c> against a real gateway with the FunASR simulator upstream.</summary>
public sealed class TranscribeTests
{
    [Fact(Timeout = 30_000)]
    public async Task Transcribe_WatermarkedWav_SrtVttAndJsonHoldEveryWordWithFinalTimes()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var fixture = SpeechFixture.ThreeUtterances;
        var wav = Media.WatermarkedWav(dir);

        var clock = Stopwatch.StartNew();
        var (exit, output) = await CliRunner.RunAsync("transcribe", wav, "--speed", "8", "-s", gateway.Http.ToString(),
            "--srt", dir.File("out.srt"), "--vtt", dir.File("out.vtt"), "--json", dir.File("out.json"));

        Assert.True(exit == 0, output);
        // --speed 8 paces the 9.4 s fixture: it cannot finish in less than 9.4 / 8 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.1), $"took {clock.Elapsed}");
        var srt = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt")));
        CaptionAssert.CuesAreFixtureWords(fixture, srt);
        Assert.Equal(srt, SubRip.ParseVtt(await File.ReadAllTextAsync(dir.File("out.vtt"))));

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("out.json")));
        Assert.Equal("completed", json.RootElement.GetProperty("outcome").GetString());
        var segments = json.RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(srt.Count, segments.Count);
        for (var i = 0; i < srt.Count; i++)
        {
            // Cue times are the finals' start_ms/end_ms rounded to the millisecond.
            Assert.Equal(Math.Round(segments[i].GetProperty("start_ms").GetDouble()), srt[i].StartMs);
            Assert.Equal(Math.Round(segments[i].GetProperty("end_ms").GetDouble()), srt[i].EndMs);
            Assert.Equal(segments[i].GetProperty("text").GetString(), srt[i].Text);
            Assert.NotEmpty(segments[i].GetProperty("sentences").EnumerateArray());
        }

        // Live captions: each final printed with its times.
        Assert.Contains("00:00:00.", output, StringComparison.Ordinal);
        Assert.Contains("The quick brown fox jumps over the dog.", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_Mp3MadeByFfmpeg_OneCuePerUtteranceNearKnownSpans()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var mp3 = dir.File("speech.mp3");
        await Media.FfmpegAsync("-i", Media.WatermarkedWav(dir), "-c:a", "libmp3lame", "-b:a", "64k", mp3);

        var (exit, output) = await CliRunner.RunAsync("transcribe", mp3, "--fast", "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.True(exit == 0, output);
        var cues = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt")));
        // MP3 destroys the watermark: the simulator transcribes each second of speech as a block token.
        CaptionAssert.CuesCoverSpans(SpeechFixture.ThreeUtterances, cues, slackMs: 100);
        CaptionAssert.CuesAreBlockTokens(cues);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_OpusInOggWithStereo48k_DownmixedAndResampledToOneCuePerUtterance()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var dir = new TempDirectory();
        var opus = dir.File("speech.ogg");
        await Media.FfmpegAsync("-i", Media.WatermarkedWav(dir), "-ac", "2", "-ar", "48000", "-c:a", "libopus", "-b:a", "48k", opus);

        var (exit, output) = await CliRunner.RunAsync("transcribe", opus, "--fast", "-s", gateway.Http.ToString(), "--vtt", dir.File("out.vtt"));

        Assert.True(exit == 0, output);
        var cues = SubRip.ParseVtt(await File.ReadAllTextAsync(dir.File("out.vtt")));
        CaptionAssert.CuesCoverSpans(SpeechFixture.ThreeUtterances, cues, slackMs: 100);
        CaptionAssert.CuesAreBlockTokens(cues);
    }
}
