using System.CommandLine;
using Gateway.Cli.Audio;
using Gateway.Cli.Sessions;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary><c>transcribe FILE</c>: any file ffmpeg reads, paced in real time unless told otherwise.</summary>
internal static class TranscribeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "Audio or video file, any format ffmpeg reads" };
        var fast = new Option<bool>("--fast") { Description = "Send as fast as the gateway takes it instead of in real time" };
        var speed = new Option<double>("--speed")
        {
            Description = "Pace at this multiple of real time (1 = real time, the default)",
            DefaultValueFactory = _ => 1,
        };
        var common = new CommonOptions();
        var command = new Command("transcribe", "Caption an audio or video file") { file, fast, speed };
        common.AddTo(command);
        CommonOptions.Positive(speed);
        file.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { Exists: false } missing)
            {
                result.AddError($"file not found: {missing.FullName}");
            }
        });
        command.SetAction((result, cancellationToken) => CaptionSession.RunAsync(
            AudioSource.File(result.GetValue(file)!.FullName),
            common.Session(result, result.GetValue(fast) ? 0 : result.GetValue(speed)),
            console,
            cancellationToken));
        return command;
    }
}
