using System.Text.Json;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.Deepgram;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Deepgram's <c>/v1/listen</c> (docs/deepgram.md): a WebSocket upgrade streams live. Every response carries
/// <c>dg-request-id</c>; a refused request answers with its HTTP status, <c>dg-error</c> and Deepgram's error body,
/// before any upgrade, as Deepgram does.
/// </summary>
internal static class DeepgramEndpoints
{
    public const string Path = "/v1/listen";

    /// <summary>Browsers put the key in <c>Sec-WebSocket-Protocol: token, KEY</c>; the 101 must select <c>token</c> or they abort.</summary>
    private const string TokenSubprotocol = "token";

    public static void MapDeepgramEndpoints(this WebApplication app) => app.MapGet(Path, LiveAsync);

    private static async Task LiveAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["dg-request-id"] = requestId;
        var parsed = Parse(context, requestId);
        if (parsed.Error is { } error)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "INVALID_QUERY_PARAMETER", error, requestId);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status426UpgradeRequired, "UPGRADE_REQUIRED", "GET /v1/listen is a WebSocket; POST /v1/listen transcribes a file", requestId);
            return;
        }

        var listen = parsed.Listen!;
        var sessions = context.RequestServices.GetRequiredService<DeepgramSessions>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync(
            context.WebSockets.WebSocketRequestedProtocols.Contains(TokenSubprotocol) ? TokenSubprotocol : null);
        await sessions.RunAsync(socket, listen, context.RequestAborted);
    }

    internal static DeepgramQueryResult Parse(HttpContext context, string requestId)
    {
        var bounds = context.RequestServices.GetRequiredService<IOptions<SegmenterOptions>>().Value.Bounds;
        var query = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        return DeepgramQueryParser.Parse(query, bounds, requestId);
    }

    /// <summary>Deepgram's REST error: status, <c>dg-error</c>, and <c>{err_code, err_msg, request_id}</c>.</summary>
    internal static async Task RefuseAsync(HttpContext context, int status, string code, string message, string requestId)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["dg-error"] = message;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("err_code", code);
        json.WriteString("err_msg", message);
        json.WriteString("request_id", requestId);
        json.WriteEndObject();
    }
}
