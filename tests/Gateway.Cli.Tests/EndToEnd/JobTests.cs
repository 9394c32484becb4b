using System.Text.Json;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary><c>gateway-cli job ...</c> against a real gateway's jobs API (real ffmpeg, the shared VAD, the simulator upstream).</summary>
public sealed class JobTests
{
    [Fact(Timeout = 30_000)]
    public async Task SubmitWait_WritesSubtitlesOfTheFixtureWords_ThenStatusAndListShowTheJob()
    {
        using var dir = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(Settings(dir));
        var server = gateway.Http.ToString();

        var (exit, output) = await CliRunner.RunAsync("job", "submit", Media.WatermarkedWav(dir), "--wait", "-s", server,
            "--srt", dir.File("out.srt"), "--vtt", dir.File("out.vtt"), "--json", dir.File("out.json"));

        Assert.True(exit == 0, output);
        var id = output.Split('\n')[0].Trim();
        Assert.Matches("^[0-9a-zA-Z-]+$", id);
        Assert.Contains("done 100 %", output, StringComparison.Ordinal); // progress, one line per change when redirected
        var cues = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("out.srt")));
        Assert.Equal(SpeechFixture.ThreeUtterances.Words, cues.SelectMany(c => c.Text.Split(' ')).Select(w => w.TrimEnd('.')));
        var vtt = await File.ReadAllTextAsync(dir.File("out.vtt"));
        Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
        Assert.All(cues, c => Assert.Contains(c.Text, vtt, StringComparison.Ordinal));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("out.json"))))
        {
            Assert.Equal(id, json.RootElement.GetProperty("task_id").GetString());
        }

        var (statusExit, status) = await CliRunner.RunAsync("job", "status", id, "-s", server);
        Assert.True(statusExit == 0, status);
        Assert.Contains(id, status, StringComparison.Ordinal);
        Assert.Contains("done", status, StringComparison.Ordinal);
        Assert.Contains("100 %", status, StringComparison.Ordinal);

        var (listExit, list) = await CliRunner.RunAsync("job", "list", "-s", server);
        Assert.True(listExit == 0, list);
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("speech.wav", list, StringComparison.Ordinal);
        Assert.Contains("1 of 1 jobs", list, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Submit_FileThatIsNotMedia_ExitsWithFfmpegCodeAndTheGatewaysReason()
    {
        using var dir = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(Settings(dir));
        var bad = dir.File("notes.wav");
        await File.WriteAllTextAsync(bad, "these are meeting notes, not audio");

        var (exit, output) = await CliRunner.RunAsync("job", "submit", bad, "--wait", "-s", gateway.Http.ToString(), "--srt", dir.File("out.srt"));

        Assert.Equal(Gateway.Cli.ExitCodes.Ffmpeg, exit);
        Assert.Contains("the gateway cannot read the file (4", output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.srt")));
    }

    [Fact(Timeout = 30_000)]
    public async Task Status_UnknownId_ExitsWithErrorAnd404()
    {
        using var dir = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(Settings(dir));

        var (exit, output) = await CliRunner.RunAsync("job", "status", "no-such-job", "-s", gateway.Http.ToString());

        Assert.Equal(Gateway.Cli.ExitCodes.Error, exit);
        Assert.Contains("the gateway refused the request (404)", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Submit_MissingFile_IsAUsageError()
    {
        using var dir = new TempDirectory();

        var (exit, output) = await CliRunner.RunAsync("job", "submit", dir.File("missing.wav"), "-s", "http://127.0.0.1:1");

        Assert.Equal(Gateway.Cli.ExitCodes.Usage, exit);
        Assert.Contains("file not found", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(TempDirectory dir) => new() { ["Jobs:DataDirectory"] = dir.File("data") };
}
