using System.CommandLine;
using Gateway.Cli.Protocol;
using Gateway.Cli.Sessions;

namespace Gateway.Cli.Commands;

/// <summary>Options every subcommand takes: the gateway, the session's settings, the outputs.</summary>
internal sealed class CommonOptions
{
    /// <summary>Used when neither <c>--server</c> nor GATEWAY_URL is given.</summary>
    public const string DefaultServer = "ws://localhost:8080/v1/stream";

    public Option<string> Server { get; } = new("--server", "-s")
    {
        Description = $"Gateway URL: ws(s)://host:port[/v1/stream] (default: $GATEWAY_URL or {DefaultServer})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GATEWAY_URL") is { Length: > 0 } url ? url : DefaultServer,
    };

    public Option<string?> Language { get; } = new("--language", "-l") { Description = "Language hint passed upstream (e.g. en, zh)" };

    public Option<string?> Hotwords { get; } = new("--hotwords") { Description = "Comma-separated hotwords, each optionally word:weight (weight 1-100, default 20)" };

    public Option<int?> MaxSegmentMs { get; } = new("--max-segment-ms") { Description = "Longest segment (one caption) in ms, within the server's bounds" };

    public Option<string?> Room { get; } = new("--room") { Description = "Speak in this meeting room (with --speaker); viewers follow it with 'watch ROOM' (docs/rooms.md)" };

    public Option<string?> Speaker { get; } = new("--speaker") { Description = "Your name in the room, as viewers see it (with --room)" };

    public Option<FileInfo?> Srt { get; } = new("--srt") { Description = "Write SubRip captions to this file" };

    public Option<FileInfo?> Vtt { get; } = new("--vtt") { Description = "Write WebVTT captions to this file" };

    public Option<FileInfo?> Json { get; } = new("--json") { Description = "Write the transcript (segments, sentences, errors) as JSON to this file" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No live captions; errors only" };

    public Option<double> ConnectTimeout { get; } = new("--connect-timeout")
    {
        Description = "Seconds to wait for the connection",
        DefaultValueFactory = _ => 10,
    };

    public Option<double> DrainTimeout { get; } = new("--drain-timeout")
    {
        Description = "Seconds to wait for the last results after the audio ends",
        DefaultValueFactory = _ => 30,
    };

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[Server, Language, Hotwords, MaxSegmentMs, Room, Speaker, Srt, Vtt, Json, Quiet, ConnectTimeout, DrainTimeout])
        {
            command.Options.Add(option);
        }

        Server.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } server && ServerUri(server) is null)
            {
                result.AddError($"--server: '{server}' is not a ws://, wss://, http:// or https:// URL");
            }
        });
        Positive(ConnectTimeout);
        Positive(DrainTimeout);
        command.Validators.Add(result =>
        {
            // The gateway checks the names themselves; the pairing is the command line's business.
            if (string.IsNullOrEmpty(result.GetValue(Room)) != string.IsNullOrEmpty(result.GetValue(Speaker)))
            {
                result.AddError("--room and --speaker go together");
            }
        });
    }

    /// <summary>Rejects zero and negative values of a numeric option.</summary>
    public static void Positive(Option<double> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<double>() <= 0)
        {
            result.AddError($"{option.Name} must be positive");
        }
    });

    /// <inheritdoc cref="Positive(Option{double})"/>
    public static void Positive(Option<double?> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<double?>() is <= 0)
        {
            result.AddError($"{option.Name} must be positive");
        }
    });

    public SessionOptions Session(ParseResult result, double speed) => new(
        ServerUri(result.GetValue(Server)!)!,
        new StartMessage(result.GetValue(Language), result.GetValue(Hotwords), result.GetValue(MaxSegmentMs), result.GetValue(Room), result.GetValue(Speaker)),
        speed,
        new OutputFiles(result.GetValue(Srt)?.FullName, result.GetValue(Vtt)?.FullName, result.GetValue(Json)?.FullName),
        result.GetValue(Quiet),
        TimeSpan.FromSeconds(result.GetValue(ConnectTimeout)),
        TimeSpan.FromSeconds(result.GetValue(DrainTimeout)));

    /// <summary>The native endpoint's URL: http(s) becomes ws(s), and a bare host gets <c>/v1/stream</c>.</summary>
    public static Uri? ServerUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var scheme = uri.Scheme switch
        {
            "ws" or "http" => "ws",
            "wss" or "https" => "wss",
            _ => null,
        };
        if (scheme is null)
        {
            return null;
        }

        var builder = new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port };
        if (builder.Path is "" or "/")
        {
            builder.Path = "/v1/stream";
        }

        return builder.Uri;
    }
}
