using Gateway.Core.Auth;
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

    /// <summary>The JSON body of a URL request (<c>{"url": ...}</c>) is small; anything larger is not one.</summary>
    private const int MaxJsonBytes = 16 * 1024;

    public static void MapDeepgramEndpoints(this WebApplication app)
    {
        app.MapGet(Path, LiveAsync).RequireScope(Scopes.Stream);
        app.MapPost(Path, PrerecordedAsync).RequireScope(Scopes.Stream);
    }

    /// <summary>
    /// Prerecorded: the body is the audio, or <c>application/json</c> <c>{"url": ...}</c> fetched by the gateway
    /// (SSRF-checked, Fetch section). Same query options as live.
    /// </summary>
    private static async Task PrerecordedAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["dg-request-id"] = requestId;
        var parsed = Parse(context, requestId);
        if (parsed.Error is { } error)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "INVALID_QUERY_PARAMETER", error, requestId);
            return;
        }

        var prerecorded = context.RequestServices.GetRequiredService<DeepgramPrerecorded>();
        if (context.Request.ContentLength > prerecorded.MaxBytes)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"the body ({context.Request.ContentLength} bytes) exceeds the limit of {prerecorded.MaxBytes} bytes (Deepgram:PrerecordedMaxBytes)", requestId);
            return;
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null; // counted against Deepgram:PrerecordedMaxBytes while it streams to disk
        }

        // A recording that becomes a file job counts against the key's JobsPerHour; given back when none is made.
        var caller = context.Features.Get<Caller>();
        var auth = context.RequestServices.GetRequiredService<Authenticator>();
        var jobTaken = false;
        Func<AuthRefusal?>? takeJob = caller is null ? null : () =>
        {
            var refusal = auth.TryStartJob(caller);
            jobTaken = refusal is null;
            return refusal;
        };

        PrerecordedReply reply;
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var url = await ReadUrlAsync(context);
            if (url.Error is { } urlError)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, "Bad Request", urlError, requestId);
                return;
            }

            reply = await prerecorded.FromUrlAsync(parsed.Listen!, url.Url!, context.RequestAborted, takeJob);
        }
        else
        {
            reply = await prerecorded.FromBodyAsync(parsed.Listen!, context.Request.Body, context.RequestAborted, takeJob);
        }

        if (jobTaken && reply.Status != StatusCodes.Status202Accepted)
        {
            auth.JobNotCreated(caller!);
        }

        if (reply.Error is { } replyError)
        {
            if (reply.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await RefuseAsync(context, reply.Status, reply.ErrorCode!, replyError, requestId);
            return;
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted);
    }

    private static async Task<(string? Url, string? Error)> ReadUrlAsync(HttpContext context)
    {
        var buffer = new byte[MaxJsonBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted)) > 0)
        {
            total += read;
        }

        if (total > MaxJsonBytes)
        {
            return (null, $"a JSON body must be {{\"url\": ...}} of at most {MaxJsonBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
                ? (url.GetString(), null)
                : (null, "a JSON body must be an object with a \"url\" string");
        }
        catch (JsonException ex)
        {
            return (null, $"the JSON body is not valid JSON: {ex.Message}");
        }
    }

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
        // Admission before the upgrade: a full gateway answers 429 at the handshake, as Deepgram does over its
        // concurrency limit (and 503 while shutting down), instead of a WebSocket closed with 1013.
        using var admission = await sessions.AdmitAsync(listen);
        if (!admission.Admitted)
        {
            if (admission.ShuttingDown)
            {
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "SERVICE_UNAVAILABLE", "the gateway is shutting down; connect again later", requestId);
                return;
            }

            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(admission.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"the gateway has its maximum of {context.RequestServices.GetRequiredService<Gateway.Core.Admission.ClientManager>().Options.MaxClients} concurrent streams open (Admission:MaxClients); retry later", requestId);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(
            context.WebSockets.WebSocketRequestedProtocols.Contains(TokenSubprotocol) ? TokenSubprotocol : null);
        await sessions.RunAsync(socket, listen, admission, context.RequestAborted, context.Features.Get<SessionAccess>());
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
