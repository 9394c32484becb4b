using System.Net.WebSockets;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Faults;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunAsr.Simulator.Protocol;

/// <summary>Accepts a WebSocket on any path (funasr.md §2, §8.3.5) and runs the flavour's session on it.</summary>
internal static partial class WebSocketEndpoint
{
    /// <summary>Connection item set at accept when the connection's upgrade is to be refused with HTTP 503.</summary>
    internal const string RefusalItem = "funasr-simulator.refusal";

    private const string BinarySubprotocol = "binary";

    public static async Task HandleAsync(HttpContext http, SimulatorRuntime runtime)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            await http.Response.WriteAsync("FunASR SIMULATOR: WebSocket only.\n");
            return;
        }

        var connectionItems = http.Features.Get<IConnectionItemsFeature>()?.Items;
        if (connectionItems is not null && connectionItems.Remove(RefusalItem, out var refusal) && refusal is RefuseMode.RejectUpgrade)
        {
            runtime.Stats.AddFault(FaultKind.RejectedUpgrade);
            Log.Refused(runtime.Logger, http.Request.Path);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        // The real servers select no subprotocol; accepting without one is compatible with clients offering "binary".
        var subprotocol = runtime.Options.EchoBinarySubprotocol && http.WebSockets.WebSocketRequestedProtocols.Contains(BinarySubprotocol)
            ? BinarySubprotocol
            : null;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol });
        var stats = runtime.Stats.OpenConnection(http.Request.Path.Value ?? "/");
        Log.Opened(runtime.Logger, stats.Id, stats.Path);
        try
        {
            var connection = new Connection(socket, http, runtime, stats);
            IFlavourSession session = runtime.Options.Flavour switch
            {
                SimulatorFlavour.CppOffline => new CppOfflineSession(connection),
                SimulatorFlavour.Python => new PythonSession(connection),
                _ => new Cpp2PassSession(connection),
            };
            // Host shutdown ends every connection at once instead of waiting out Kestrel's shutdown timeout.
            var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            await connection.RunAsync(session, stopping);
        }
        finally
        {
            runtime.Stats.CloseConnection(stats);
            Log.Closed(runtime.Logger, stats.Id, stats.BytesReceived);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ConnectionOpened, LogLevel.Information, "Connection {ConnectionId} opened on {Path}")]
        public static partial void Opened(ILogger logger, long connectionId, string path);

        [LoggerMessage(EventIds.ConnectionClosed, LogLevel.Information, "Connection {ConnectionId} closed after {Bytes} audio bytes")]
        public static partial void Closed(ILogger logger, long connectionId, long bytes);

        [LoggerMessage(EventIds.RejectedUpgrade, LogLevel.Information, "Upgrade on {Path} rejected with 503 (fault injection)")]
        public static partial void Refused(ILogger logger, string? path);
    }
}
