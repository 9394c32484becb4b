using System.Net.WebSockets;
using Gateway.Core.Rooms;

namespace Gateway.Server.Endpoints;

/// <summary>A room viewer on a WebSocket: one text message per event; the close code says why it ended.</summary>
internal sealed class WebSocketViewerOutput(WebSocket socket) : IRoomViewerOutput
{
    public bool IsEventStream => false;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask HeartbeatAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask; // WebSocket pings do it

    public async Task FailAsync(ReadOnlyMemory<byte> error, int closeCode, string reason, CancellationToken cancellationToken)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.SendAsync(error, WebSocketMessageType.Text, true, cancellationToken);
                await socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, reason, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }
}
