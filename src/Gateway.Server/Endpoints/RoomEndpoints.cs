using Gateway.Core.Auth;
using System.Globalization;
using System.Net.WebSockets;
using Gateway.Core.Rooms;
using Gateway.Core.Sessions;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Meeting rooms over HTTP (docs/rooms.md): create and list rooms, follow one live (WebSocket or Server-Sent Events),
/// fetch its transcript. Participants join through the native stream endpoint (<c>/v1/stream?room=..&amp;speaker=..</c>).
/// </summary>
internal static class RoomEndpoints
{
    public const string Prefix = "/v1/rooms";

    public static void MapRoomEndpoints(this WebApplication app)
    {
        // The shared room state (Redis) not answering is a clear 503, not a 500 (docs/scale-out.md §5).
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (RoomBusUnavailableException ex) when (!context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<RoomRegistry>().Refused(RoomErrorCodes.RoomStateUnavailable);
                await Results.Json(new { error = RoomErrorCodes.RoomStateUnavailable, message = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
            }
        });
        app.MapPost(Prefix, CreateAsync).RequireScope(Scopes.Stream);
        app.MapGet(Prefix, ListAsync).RequireScope(Scopes.RoomsView);
        app.MapGet(Prefix + "/{room}", async (RoomRegistry rooms, string room) =>
            rooms.Find(room) is { } found ? Results.Json(RoomJson.Details(found.Snapshot(await rooms.Bus.LastSequenceAsync(found.Name)))) : NotFound(rooms, room)).RequireScope(Scopes.RoomsView);
        app.MapGet(Prefix + "/{room}/transcript", TranscriptAsync).RequireScope(Scopes.RoomsView);
        app.Map(Prefix + "/{room}/captions", CaptionsAsync).RequireScope(Scopes.RoomsView);
        app.MapGet(Prefix + "/{room}/events", EventsAsync).RequireScope(Scopes.RoomsView);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, RoomRegistry rooms)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 64 * 1024)
        {
            return Problem(rooms, StatusCodes.Status413PayloadTooLarge, RoomErrorCodes.InvalidSettings, "the body is larger than 64 KB");
        }

        var (name, settings, error) = RoomSettingsParser.Parse(body.GetBuffer().AsSpan(0, (int)body.Length), rooms.Options);
        if (error is not null)
        {
            return Problem(rooms, StatusCodes.Status400BadRequest, RoomErrorCodes.InvalidSettings, error);
        }

        var (room, refused) = rooms.Create(name, settings!);
        if (refused is not null)
        {
            // Counted by the registry.
            return Results.Json(new { error = refused.Code, message = refused.Message }, statusCode: refused.Code == RoomErrorCodes.RoomExists ? StatusCodes.Status409Conflict : StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(RoomJson.Details(room!.Snapshot(0)), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(RoomRegistry rooms)
    {
        var summaries = new List<object>();
        foreach (var room in rooms.Rooms)
        {
            summaries.Add(RoomJson.Summary(room.Snapshot(await rooms.Bus.LastSequenceAsync(room.Name))));
        }

        return Results.Json(new { rooms = summaries });
    }

    private static async Task<IResult> TranscriptAsync(RoomRegistry rooms, string room, string? format)
    {
        format ??= RoomTranscript.Json;
        if (!RoomTranscript.Formats.Contains(format))
        {
            return Problem(rooms, StatusCodes.Status400BadRequest, RoomErrorCodes.InvalidFormat, $"unknown format \"{format}\"; use {string.Join(", ", RoomTranscript.Formats)}");
        }

        if (rooms.Find(room) is not { } found)
        {
            return NotFound(rooms, room);
        }

        var finals = await rooms.Bus.FinalsAsync(found.Name);
        var bytes = RoomTranscript.Render(format, found.Snapshot(await rooms.Bus.LastSequenceAsync(found.Name)), finals);
        return Results.Bytes(bytes, RoomTranscript.ContentType(format), fileDownloadName: format == RoomTranscript.Json ? null : $"{found.Name}.{format}");
    }

    /// <summary>
    /// A WebSocket viewer. An unknown room or a full one is told after the upgrade (error message, then close 4004 or
    /// 4011) because browsers cannot read the status of a refused upgrade.
    /// </summary>
    private static async Task CaptionsAsync(HttpContext context, string room)
    {
        var rooms = context.RequestServices.GetRequiredService<RoomRegistry>();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync($"This endpoint speaks WebSocket; for Server-Sent Events use {Prefix}/{{room}}/events (docs/rooms.md).\n");
            return;
        }

        var (after, bad) = await ParseAfterAsync(context, rooms, room);
        if (bad is not null)
        {
            await bad.ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var output = new WebSocketViewerOutput(socket);
        var (found, error) = await rooms.JoinViewerAsync(room);
        if (error is not null)
        {
            using var grace = new CancellationTokenSource(rooms.Options.CloseGrace);
            await output.FailAsync(RoomEventWriter.Error(error.Code, error.Message), error.CloseCode, error.Code, grace.Token);
            return;
        }

        // Viewers send nothing; reading finds their close (or their disappearance) and ends the viewer.
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var reading = DrainAsync(socket, gone);
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var logger = context.RequestServices.GetRequiredService<ILogger<RoomViewer>>();
        await RoomViewer.RunAsync(rooms, found!, after, output, time, logger, gone.Token);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var grace = new CancellationTokenSource(rooms.Options.CloseGrace);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", grace.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                socket.Abort();
            }
        }

        await gone.CancelAsync();
        await reading;
    }

    /// <summary>A Server-Sent Events viewer; <c>Last-Event-ID</c> (or <c>?after=</c>) resumes from the room's history.</summary>
    private static async Task EventsAsync(HttpContext context, string room)
    {
        var rooms = context.RequestServices.GetRequiredService<RoomRegistry>();
        var (after, bad) = await ParseAfterAsync(context, rooms, room);
        if (bad is not null)
        {
            await bad.ExecuteAsync(context);
            return;
        }

        var (found, error) = await rooms.JoinViewerAsync(room);
        if (error is not null)
        {
            var status = error.Code == RoomErrorCodes.RoomNotFound ? StatusCodes.Status404NotFound : StatusCodes.Status503ServiceUnavailable;
            await Results.Json(new { error = error.Code, message = error.Message }, statusCode: status).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.WriteAsync("retry: 2000\n\n"u8.ToArray(), context.RequestAborted);
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var logger = context.RequestServices.GetRequiredService<ILogger<RoomViewer>>();
        await RoomViewer.RunAsync(rooms, found!, after, new EventStreamViewerOutput(context), time, logger, context.RequestAborted);
    }

    /// <summary>The resume point: the <c>Last-Event-ID</c> header (EventSource sends it on reconnect) or <c>?after=</c>.</summary>
    private static async Task<(long? After, IResult? Bad)> ParseAfterAsync(HttpContext context, RoomRegistry rooms, string room)
    {
        var text = context.Request.Headers["Last-Event-ID"].ToString();
        if (text.Length == 0)
        {
            text = context.Request.Query["after"].ToString();
        }

        if (text.Length == 0)
        {
            return (null, null);
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return (null, Problem(rooms, StatusCodes.Status400BadRequest, RoomErrorCodes.InvalidLastEventId, $"Last-Event-ID must be a room event number (a non-negative integer), got \"{Shorten(text)}\""));
        }

        var last = await rooms.Bus.LastSequenceAsync(room);
        if (rooms.Find(room) is not null && n > last)
        {
            return (null, Problem(rooms, StatusCodes.Status400BadRequest, RoomErrorCodes.InvalidLastEventId, $"Last-Event-ID {n} is ahead of room \"{room}\" (its last event is {last})"));
        }

        return (n, null);
    }

    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource gone)
    {
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, gone.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Gone.
        }

        await gone.CancelAsync();
    }

    private static IResult NotFound(RoomRegistry rooms, string room) =>
        Problem(rooms, StatusCodes.Status404NotFound, RoomErrorCodes.RoomNotFound, $"no room \"{Shorten(room)}\"");

    private static IResult Problem(RoomRegistry rooms, int status, string code, string message)
    {
        rooms.Refused(code);
        return Results.Json(new { error = code, message }, statusCode: status);
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
