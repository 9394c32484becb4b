using System.Net.WebSockets;
using System.Text;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>The socket chores every protocol test client shares.</summary>
internal static class TestSockets
{
    /// <summary>The next text message, or null once the server has closed (its close is answered).</summary>
    public static async Task<string?> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        var buffer = new byte[64 * 1024];
        var total = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(total), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return null;
            }

            total += result.Count;
            if (result.EndOfMessage)
            {
                Assert.Equal(WebSocketMessageType.Text, result.MessageType);
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
    }

    /// <summary>Closes if still open (bounded), ignoring a server that is already gone, then disposes.</summary>
    public static async ValueTask CloseAndDisposeAsync(ClientWebSocket socket)
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        socket.Dispose();
    }
}
