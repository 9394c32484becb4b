using System.CommandLine;
using System.Globalization;
using System.Net.WebSockets;
using Gateway.Cli.Protocol;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>watch ROOM</c>: follows a meeting room's merged captions live (docs/rooms.md): the transcript so far first,
/// then each final as <c>time  Speaker: text</c>, until Ctrl+C, <c>--duration</c>, or the room closes.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var room = new Argument<string>("room") { Description = "The room to follow" };
        var server = new CommonOptions().Server;
        var duration = new Option<double?>("--duration", "-t") { Description = "Stop after this many seconds" };
        var partials = new Option<bool>("--partials") { Description = "Also print partial text as it changes" };
        var command = new Command("watch", "Follow a meeting room's speaker-labelled captions live") { room, server, duration, partials };
        CommonOptions.Positive(duration);
        server.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && CommonOptions.ServerUri(text) is null)
            {
                result.AddError($"--server: '{text}' is not a ws://, wss://, http:// or https:// URL");
            }
        });
        command.SetAction((result, cancellationToken) => RunAsync(
            CaptionsUri(CommonOptions.ServerUri(result.GetValue(server)!)!, result.GetValue(room)!),
            result.GetValue(duration),
            result.GetValue(partials),
            console,
            cancellationToken));
        return command;
    }

    /// <summary>The room's WebSocket captions endpoint on the gateway that <c>--server</c> names.</summary>
    public static Uri CaptionsUri(Uri server, string room) =>
        new UriBuilder(server) { Path = $"/v1/rooms/{Uri.EscapeDataString(room)}/captions", Query = "" }.Uri;

    private static async Task<int> RunAsync(Uri uri, double? duration, bool partials, IAnsiConsole console, CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (duration is { } seconds)
        {
            limit.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        GatewayConnection connection;
        try
        {
            connection = await GatewayConnection.ConnectAsync(uri, TimeSpan.FromSeconds(10), limit.Token);
        }
        catch (CannotConnectException ex)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ExitCodes.CannotConnect;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }

        await using (connection)
        {
            string? error = null;
            try
            {
                await foreach (var message in connection.ReadAsync(limit.Token))
                {
                    error ??= Print(console, message, partials);
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                return ExitCodes.Ok; // the user's stop, or --duration
            }

            if (error is not null)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(error)}");
                return ExitCodes.Error;
            }

            if (connection.CloseStatus is WebSocketCloseStatus.NormalClosure)
            {
                return ExitCodes.Ok;
            }

            console.MarkupLine("[red]error:[/] the connection to the gateway was lost");
            return ExitCodes.Disconnect;
        }
    }

    /// <summary>Prints one room message; returns the text of a fatal error.</summary>
    private static string? Print(IAnsiConsole console, ServerMessage message, bool partials)
    {
        switch (message.Type)
        {
            case "room":
                console.MarkupLine($"[grey]room {Markup.Escape(message.String("room") ?? "")}, {Participants(message)}[/]");
                break;
            case "history_end":
                console.MarkupLine("[grey]— live —[/]");
                break;
            case "participant_joined":
                console.MarkupLine($"[grey]{Time(message)}  {Markup.Escape(message.String("speaker") ?? "")} joined[/]");
                break;
            case "participant_left":
                console.MarkupLine($"[grey]{Time(message)}  {Markup.Escape(message.String("speaker") ?? "")} left[/]");
                break;
            case "source_lost":
                console.MarkupLine($"[yellow]{Time(message)}  {Markup.Escape(message.String("speaker") ?? "")}: source lost ({Markup.Escape(message.String("message") ?? "")})[/]");
                break;
            case "source_restored":
                console.MarkupLine($"[yellow]{Captions.SubtitleFormat.Time(message.Number("end_ms") ?? 0, '.')}  {Markup.Escape(message.String("speaker") ?? "")}: source back (gap from {Time(message)})[/]");
                break;
            case "partial" when partials:
                console.MarkupLine($"[grey]{Time(message)}  {Markup.Escape(message.String("speaker") ?? "")}… {Markup.Escape(message.String("text") ?? "")}[/]");
                break;
            case "final" when message.String("text") is { Length: > 0 } text:
                console.MarkupLine($"[grey]{Time(message)}[/]  [bold]{Markup.Escape(message.String("speaker") ?? "")}:[/] {Markup.Escape(text)}");
                break;
            case "error" when message.Flag("fatal"):
                return $"{message.String("code")}: {message.String("message")}";
        }

        return null;
    }

    private static string Time(ServerMessage message) =>
        Captions.SubtitleFormat.Time(message.Number("start_ms") ?? message.Number("at_ms") ?? 0, '.');

    private static string Participants(ServerMessage message) =>
        message.Body.TryGetProperty("participants", out var list) && list.GetArrayLength() > 0
            ? "speaking: " + string.Join(", ", list.EnumerateArray().Select(p => p.GetString()))
            : string.Create(CultureInfo.InvariantCulture, $"nobody speaking yet");
}
