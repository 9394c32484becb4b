using Gateway.Core.Protocols;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Sessions;

namespace Gateway.Server.Endpoints;

/// <summary>WebSocket endpoints: each accepts the upgrade and hands the socket to the engine with its protocol.</summary>
internal static class StreamEndpoints
{
    public static void MapStreamEndpoints(this WebApplication app)
    {
        app.Map("/v1/stream", context => RunAsync(context, NativeProtocol.Instance, NativeSettingsParser.FromQuery(Query(context))));
    }

    private static async Task RunAsync(HttpContext context, ISessionProtocol protocol, StartResult initial)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("This endpoint speaks WebSocket; see docs/protocol.md.\n");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var host = context.RequestServices.GetRequiredService<SessionHost>();
        await host.RunAsync(socket, protocol, initial, context.RequestAborted);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Query(HttpContext context) =>
        context.Request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()));
}
