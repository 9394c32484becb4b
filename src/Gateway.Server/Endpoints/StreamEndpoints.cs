using System.Net.WebSockets;
using Gateway.Core.Diagnostics;
using Gateway.Core.Auth;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Resume;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.Server.Endpoints;

/// <summary>
/// WebSocket endpoints: each accepts the upgrade and hands the socket to the engine with its protocol.
/// Compatible endpoints accept any path below their prefix and ignore the query string (<c>?token=</c> included),
/// as the reference servers ignore paths.
/// </summary>
internal static partial class StreamEndpoints
{
    /// <summary>The endpoint label of the root path, where the protocol is detected from the first message.</summary>
    private const string DetectEndpoint = "detect";

    /// <summary>Subprotocol offered by FunASR's Python client; echoed, as accepting it is harmless.</summary>
    private const string BinarySubprotocol = "binary";

    public static void MapStreamEndpoints(this WebApplication app)
    {
        app.Map("/v1/stream", context => ResumeQuery.Parse(Query(context)) is { } resume
            ? ResumeAsync(context, resume)
            : RunAsync(context, _ => NativeProtocol.Instance, NativeSettingsParser.FromQuery(Query(context)))).RequireScope(Scopes.Stream).AcceptsStartMessageCredential();
        MapCompat(app, "/whisperlive", p => p.WhisperLive());
        MapCompat(app, "/ws", p => p.WhisperLive()); // the WhisperLive Chrome extension's wss://host/ws
        MapCompat(app, "/funasr", p => p.FunAsr(FunAsrFlavour.TwoPass));
        MapCompat(app, "/funasr/offline", p => p.FunAsr(FunAsrFlavour.Offline));
        // Both ecosystems' clients ignore paths; any path no other endpoint claims is detected like the root.
        app.Map("/{**path}", RootAsync).RequireScope(Scopes.Stream).AcceptsFunAsrClients().AllowAnonymousCaller(pagesOnly: true);
    }

    private static void MapCompat(WebApplication app, string prefix, Func<SessionProtocols, ISessionProtocol> create) =>
        app.Map(prefix + "/{**rest}", context => RunAsync(
            context,
            create(context.RequestServices.GetRequiredService<SessionProtocols>()),
            new StartResult(StreamSettings.Default, null))).RequireScope(Scopes.Stream).AcceptsFunAsrClients();

    private static Task RunAsync(HttpContext context, Func<SessionProtocols, ISessionProtocol> create, StartResult initial) =>
        RunAsync(context, create(context.RequestServices.GetRequiredService<SessionProtocols>()), initial);

    private static async Task RunAsync(HttpContext context, ISessionProtocol protocol, StartResult initial)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("This endpoint speaks WebSocket; see docs/protocol.md, docs/whisperlive.md and docs/funasr-endpoint.md.\n");
            return;
        }

        try
        {
            using var socket = await AcceptAsync(context);
            var host = context.RequestServices.GetRequiredService<SessionHost>();
            if (context.Features.Get<DeferredAuth>() is { } deferred)
            {
                // No credential on the upgrade: the native start message must carry it (docs/protocol.md §2).
                var auth = context.RequestServices.GetRequiredService<StartMessageAuth>();
                await host.RunWithStartCredentialAsync(socket, protocol, initial, auth, deferred.Scope, context.RequestAborted);
                return;
            }

            await host.RunAsync(socket, protocol, initial, context.RequestAborted, access: context.Features.Get<SessionAccess>());
        }
        catch (Exception ex) when (IsClientGone(ex, context))
        {
            ClientGone(context, protocol.Name, ex);
        }
    }

    /// <summary><c>/v1/stream?resume=TOKEN&amp;offset=N</c>: continues a detached session (docs/protocol.md, "Resume").</summary>
    private static async Task ResumeAsync(HttpContext context, (ResumeRequest? Request, ClientError? Error) resume)
    {
        if (context.Features.Get<DeferredAuth>() is not null)
        {
            // A resume sends no start message, so the credential must come with the upgrade.
            await AuthMiddleware.RefuseAsync(context, new AuthRefusal(StatusCodes.Status401Unauthorized, "INVALID_AUTH", Authenticator.MissingCredential + " (a resume sends no start message: put it on the upgrade)"));
            return;
        }

        if (resume.Error is { } error)
        {
            await RunAsync(context, NativeProtocol.Instance, new StartResult(null, error));
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RunAsync(context, NativeProtocol.Instance, new StartResult(null, null));
            return;
        }

        try
        {
            using var socket = await AcceptAsync(context);
            var host = context.RequestServices.GetRequiredService<SessionHost>();
            await host.ResumeAsync(socket, NativeProtocol.Instance, resume.Request!.Value, context.RequestAborted, context.Features.Get<SessionAccess>());
        }
        catch (Exception ex) when (IsClientGone(ex, context))
        {
            ClientGone(context, NativeProtocol.Instance.Name, ex);
        }
    }

    /// <summary>
    /// The root path (and any unclaimed path): a WebSocket gets the protocol its first message speaks; a plain GET
    /// on <c>/</c> gets the caption page (which also lists these endpoints), elsewhere 404.
    /// </summary>
    private static async Task RootAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            if (context.Request.Path == "/")
            {
                await CaptionPage.ServeIndexAsync(context);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return;
        }

        try
        {
            using var socket = await AcceptAsync(context);
            var protocols = context.RequestServices.GetRequiredService<SessionProtocols>();
            var host = context.RequestServices.GetRequiredService<SessionHost>();
            await host.RunDetectedAsync(socket, protocols.For, context.RequestAborted, context.Features.Get<SessionAccess>());
        }
        catch (Exception ex) when (IsClientGone(ex, context))
        {
            ClientGone(context, DetectEndpoint, ex);
        }
    }

    /// <summary>
    /// The client hung up before its session started (during the upgrade or before its first message): a session
    /// handles its own disconnects, so what reaches here is the client's doing, never an application error.
    /// </summary>
    private static bool IsClientGone(Exception ex, HttpContext context) =>
        ex is WebSocketException or IOException
        || (ex is OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    private static void ClientGone(HttpContext context, string endpoint, Exception ex)
    {
        context.RequestServices.GetRequiredService<GatewayMetrics>().ClientGone(endpoint);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StreamEndpoints));
        Log.ClientGone(logger, endpoint, context.Connection.Id, ex.Message);
    }

    private static Task<System.Net.WebSockets.WebSocket> AcceptAsync(HttpContext context) =>
        context.WebSockets.AcceptWebSocketAsync(
            context.WebSockets.WebSocketRequestedProtocols.Contains(BinarySubprotocol) ? BinarySubprotocol : null);

    private static IEnumerable<KeyValuePair<string, string?>> Query(HttpContext context) =>
        context.Request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()));

    private static partial class Log
    {
        [LoggerMessage(EventIds.ClientGone, LogLevel.Debug, "Connection {ConnectionId} on {Endpoint} dropped by the client before its session started: {Detail}")]
        public static partial void ClientGone(ILogger logger, string endpoint, string connectionId, string detail);
    }
}
