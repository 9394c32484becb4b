using System.Net;
using System.Text;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;
using Spectre.Console;

namespace Gateway.Cli.Tests.EndToEnd;

/// <summary><c>--room/--speaker</c> and <c>watch ROOM</c> against a real gateway (docs/rooms.md).</summary>
public sealed class RoomTests
{
    [Fact(Timeout = 60_000)]
    public async Task Watch_ParticipantTranscribesIntoTheRoom_PrintsEachFinalWithTheSpeaker()
    {
        await using var gateway = await TestGateway.StartAsync();
        using (var http = new HttpClient { BaseAddress = gateway.Http })
        {
            using var created = await http.PostAsync("/v1/rooms", new StringContent("""{"name":"standup"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var dir = new TempDirectory();
        var inner = new StringWriter(new StringBuilder());
        var output = TextWriter.Synchronized(inner);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var watching = CliApp.RunAsync(["watch", "standup", "-s", gateway.Http.ToString()], console, handleSignals: false, stop.Token);
        await WaitForAsync(() => Text(), "— live —", watching);

        var (exit, transcribed) = await CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--speed", "8", "-s", gateway.Http.ToString(),
            "--room", "standup", "--speaker", "Alice", "--srt", dir.File("alice.srt"));
        Assert.True(exit == 0, transcribed);

        var cues = SubRip.ParseSrt(await File.ReadAllTextAsync(dir.File("alice.srt")));
        CaptionAssert.CuesAreFixtureWords(SpeechFixture.ThreeUtterances, cues);
        foreach (var cue in cues)
        {
            await WaitForAsync(() => Text(), $"Alice: {cue.Text}", watching);
        }

        await WaitForAsync(() => Text(), "Alice left", watching);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await watching.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Alice joined", Text(), StringComparison.Ordinal);

        string Text()
        {
            lock (output)
            {
                return inner.ToString();
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Watch_UnknownRoom_ExitsWithErrorAndSaysWhy()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (exit, output) = await CliRunner.RunAsync("watch", "nowhere", "-s", gateway.Http.ToString());

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("room_not_found: no room \"nowhere\"", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_RoomWithoutSpeaker_UsageError()
    {
        var (exit, output) = await CliRunner.RunAsync("transcribe", "x.wav", "--room", "standup");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--room and --speaker go together", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Transcribe_DuplicateSpeaker_ErrorExitWithTheGatewaysMessage()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var alice = await StreamClient.ConnectAsync(new Uri(gateway.WebSocket, "/v1/stream?room=standup&speaker=Alice"));
        await alice.StartAsync();
        using var dir = new TempDirectory();

        var (exit, output) = await CliRunner.RunAsync("transcribe", Media.WatermarkedWav(dir), "--fast", "-s", gateway.Http.ToString(), "--room", "standup", "--speaker", "alice");

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("speaker_taken", output, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<string> text, string expected, Task<int> watching)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!text().Contains(expected, StringComparison.Ordinal))
        {
            Assert.False(watching.IsCompleted, $"watch ended before printing \"{expected}\":\n{text()}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"watch did not print \"{expected}\":\n{text()}");
            await Task.Delay(20);
        }
    }
}
