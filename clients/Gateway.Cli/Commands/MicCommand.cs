using System.CommandLine;
using Gateway.Cli.Audio;
using Gateway.Cli.Sessions;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary><c>mic</c>: the platform's default capture device through ffmpeg, until Ctrl+C or <c>--duration</c>.</summary>
internal static class MicCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var (defaultFormat, defaultDevice) = PlatformDefault();
        var format = new Option<string>("--input-format", "-f")
        {
            Description = $"ffmpeg capture format (default here: {defaultFormat}; pulse, alsa, avfoundation, dshow, …)",
            DefaultValueFactory = _ => defaultFormat,
        };
        var device = new Option<string>("--device", "-d")
        {
            Description = $"Capture device for that format (default here: {defaultDevice}; dshow needs audio=NAME)",
            DefaultValueFactory = _ => defaultDevice,
        };
        var duration = new Option<double?>("--duration", "-t") { Description = "Stop after this many seconds" };
        var common = new CommonOptions();
        var command = new Command("mic", "Caption the microphone") { format, device, duration };
        common.AddTo(command);
        CommonOptions.Positive(duration);
        command.SetAction((result, cancellationToken) => CaptionSession.RunAsync(
            AudioSource.Device(result.GetValue(format)!, result.GetValue(device)!, StreamCommand.Seconds(result.GetValue(duration))),
            common.Session(result, speed: 0),
            console,
            cancellationToken));
        return command;
    }

    /// <summary>PulseAudio (or PipeWire's pulse server) when one is running, else ALSA; avfoundation on macOS; dshow on Windows.</summary>
    private static (string Format, string Device) PlatformDefault()
    {
        if (OperatingSystem.IsMacOS())
        {
            return ("avfoundation", ":0");
        }

        if (OperatingSystem.IsWindows())
        {
            return ("dshow", "audio=default");
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var pulse = Environment.GetEnvironmentVariable("PULSE_SERVER") is { Length: > 0 }
            || (runtime is { Length: > 0 } && File.Exists(Path.Combine(runtime, "pulse", "native")));
        return (pulse ? "pulse" : "alsa", "default");
    }
}
