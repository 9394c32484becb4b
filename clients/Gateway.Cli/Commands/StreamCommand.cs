using System.CommandLine;
using Gateway.Cli.Audio;
using Gateway.Cli.Sessions;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary><c>stream URL</c>: RTSP, HLS or any network source ffmpeg opens; runs until the source ends, Ctrl+C or <c>--duration</c>.</summary>
internal static class StreamCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var url = new Argument<string>("url") { Description = "rtsp://, rtsps://, http(s):// (HLS .m3u8) or any URL ffmpeg opens" };
        var duration = new Option<double?>("--duration", "-t") { Description = "Stop after this many seconds of audio" };
        var transport = new Option<string>("--rtsp-transport")
        {
            Description = "RTSP transport: tcp (interleaved, firewall-friendly) or udp",
            DefaultValueFactory = _ => "tcp",
        };
        transport.AcceptOnlyFromAmong("tcp", "udp");
        var speed = new Option<double>("--speed")
        {
            Description = "Pace at this multiple of real time; 0 (default) sends as the source delivers (live sources pace themselves)",
            DefaultValueFactory = _ => 0,
        };
        var common = new CommonOptions();
        var command = new Command("stream", "Caption a live network stream (RTSP, HLS)") { url, duration, transport, speed };
        common.AddTo(command);
        CommonOptions.Positive(duration);
        url.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out _))
            {
                result.AddError($"not an absolute URL: {result.GetValueOrDefault<string>()}");
            }
        });
        speed.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() < 0)
            {
                result.AddError("--speed must not be negative");
            }
        });
        command.SetAction((result, cancellationToken) => CaptionSession.RunAsync(
            AudioSource.Stream(new Uri(result.GetValue(url)!), result.GetValue(transport)!, Seconds(result.GetValue(duration))),
            common.Session(result, result.GetValue(speed)),
            console,
            cancellationToken));
        return command;
    }

    internal static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
