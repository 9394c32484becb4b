using System.Net.WebSockets;
using Gateway.Core.Protocols;

namespace Gateway.Core.Sessions;

public sealed partial class Session
{
    /// <summary>The only writer to the socket: renders queued events, then performs the close once the outbox completes.</summary>
    private async Task SendLoopAsync()
    {
        await Task.Yield();
        var messages = new MessageBatch();
        try
        {
            await foreach (var serverEvent in _outbox.Reader.ReadAllAsync())
            {
                messages.Clear();
                _protocol.Write(messages, serverEvent);
                for (var i = 0; i < messages.Count; i++)
                {
                    await _socket.SendAsync(messages[i], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeDescription, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away while we were sending; the receive loop sees it too.
        }
        finally
        {
            // The receive loop may have ended without a decision (abort): nothing else will close the socket.
            _state.TryEnd();
        }
    }
}
