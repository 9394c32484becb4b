using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>ingest add URL --room R</c>, <c>ingest list</c>, <c>ingest stop ID</c>: server-side ingests (docs/ingest.md).
/// The gateway pulls the source itself; follow its captions with <c>watch R</c>.
/// </summary>
internal static class IngestCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("ingest", "Have the gateway caption an RTSP/HLS/RTMP/SRT URL itself (docs/ingest.md)");
        command.Subcommands.Add(Add(console));
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Stop(console));
        return command;
    }

    private static Command Add(IAnsiConsole console)
    {
        var url = new Argument<string>("url") { Description = "The source: rtsp://, rtmp://, srt://, http(s):// (HLS), as ffmpeg reads it" };
        var options = new CommonOptions();
        var command = new Command("add", "Start an ingest; prints its id") { url, options.Server, options.Room, options.Speaker, options.Language };
        Validate(options.Server);
        command.SetAction((result, cancellationToken) => SendAsync(
            console, result.GetValue(options.Server)!, HttpMethod.Post, "/v1/ingests",
            JsonContent.Create(new { url = result.GetValue(url), room = result.GetValue(options.Room), speaker = result.GetValue(options.Speaker), language = result.GetValue(options.Language) }),
            json => console.WriteLine($"{json.GetProperty("id").GetString()}  {json.GetProperty("state").GetString()}  room {json.GetProperty("room").GetString()}"),
            cancellationToken));
        return command;
    }

    private static Command List(IAnsiConsole console)
    {
        var server = new CommonOptions().Server;
        var command = new Command("list", "List the gateway's ingests and their states") { server };
        Validate(server);
        command.SetAction((result, cancellationToken) => SendAsync(
            console, result.GetValue(server)!, HttpMethod.Get, "/v1/ingests", null,
            json =>
            {
                // One line per ingest, tab-separated, so it reads in a terminal and splits in a script.
                foreach (var i in json.GetProperty("ingests").EnumerateArray())
                {
                    var error = i.GetProperty("last_error") is { ValueKind: JsonValueKind.Object } e ? e.GetProperty("message").GetString() ?? "" : "";
                    console.Profile.Out.Writer.WriteLine(string.Join('\t',
                        i.GetProperty("id").GetString(), i.GetProperty("state").GetString(), i.GetProperty("room").GetString(),
                        $"restarts={i.GetProperty("restarts").GetInt32()}", $"finals={i.GetProperty("finals").GetInt64()}", i.GetProperty("url").GetString(), error));
                }
            },
            cancellationToken));
        return command;
    }

    private static Command Stop(IAnsiConsole console)
    {
        var id = new Argument<string>("id") { Description = "The ingest's id (from 'ingest add' or 'ingest list')" };
        var server = new CommonOptions().Server;
        var command = new Command("stop", "Stop an ingest gracefully (its last results are delivered first)") { id, server };
        Validate(server);
        command.SetAction((result, cancellationToken) => SendAsync(
            console, result.GetValue(server)!, HttpMethod.Delete, $"/v1/ingests/{Uri.EscapeDataString(result.GetValue(id)!)}", null,
            json => console.WriteLine($"{json.GetProperty("id").GetString()}  {json.GetProperty("state").GetString()}  {json.GetProperty("finals").GetInt64()} finals"),
            cancellationToken));
        return command;
    }

    private static void Validate(Option<string> server) => server.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string>() is { } text && CommonOptions.ServerUri(text) is null)
        {
            result.AddError($"--server: '{text}' is not a ws://, wss://, http:// or https:// URL");
        }
    });

    /// <summary>One API call; a 4xx/5xx prints the gateway's message and returns <see cref="ExitCodes.Error"/>.</summary>
    private static async Task<int> SendAsync(IAnsiConsole console, string server, HttpMethod method, string path, HttpContent? content, Action<JsonElement> print, CancellationToken cancellationToken)
    {
        var ws = CommonOptions.ServerUri(server)!;
        var baseUri = new UriBuilder(ws) { Scheme = ws.Scheme == "wss" ? "https" : "http", Path = "/", Query = "" }.Uri;
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            if (!response.IsSuccessStatusCode)
            {
                var message = json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : text;
                console.MarkupLine($"[red]error:[/] {(int)response.StatusCode} {Markup.Escape(message ?? "")}");
                return ExitCodes.Error;
            }

            print(json.RootElement);
            return ExitCodes.Ok;
        }
        catch (HttpRequestException ex)
        {
            console.MarkupLine($"[red]error:[/] cannot reach the gateway at {Markup.Escape(baseUri.ToString())}: {Markup.Escape(ex.Message)}");
            return ExitCodes.CannotConnect;
        }
        catch (JsonException)
        {
            console.MarkupLine($"[red]error:[/] the gateway at {Markup.Escape(baseUri.ToString())} did not answer with JSON; is it a gateway with ingests?");
            return ExitCodes.Error;
        }
    }
}
