using System.Net.WebSockets;
using Gateway.Core.Protocols;
using Gateway.Core.Resume;

namespace Gateway.Core.Sessions;

public sealed partial class Session
{
    /// <summary>
    /// The only writer to the connection's socket: renders queued events, then performs the close once the outbox
    /// completes. An event leaves the outbox only once written, so one in hand when the connection drops is sent
    /// again after a resume.
    /// </summary>
    private async Task SendLoopAsync(SessionConnection connection)
    {
        await Task.Yield();
        var socket = connection.Socket;
        var messages = new MessageBatch();
        try
        {
            while (await _outbox.PeekAsync(connection.Token) is { } serverEvent)
            {
                messages.Clear();
                _protocol.Write(messages, serverEvent);
                for (var i = 0; i < messages.Count; i++)
                {
                    await socket.SendAsync(messages[i], WebSocketMessageType.Text, endOfMessage: true, connection.Token);
                }

                _outbox.Sent();
                if (serverEvent is AckEvent)
                {
                    Volatile.Write(ref _ackQueued, 0);
                }
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(_closeStatus, _closeDescription, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away while we were sending (or a resume took over); the receive loop sees it too.
            socket.Abort();
        }
    }
}
