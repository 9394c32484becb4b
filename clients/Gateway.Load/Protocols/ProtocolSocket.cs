using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Gateway.Load.Protocols;

/// <summary>
/// The WebSocket under every protocol client: sends, and receives whole text messages stamped on arrival.
/// One sender and one receiver may run concurrently (the WebSocket contract).
/// </summary>
internal sealed class ProtocolSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private byte[] _buffer = new byte[16 * 1024];
    private Socket? _tcp;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<ProtocolSocket> ConnectAsync(Uri url, CancellationToken token)
    {
        var s = new ProtocolSocket();
        s._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            // Our own connect, so the TCP socket can be reset (Reset) as a network drop looks: no close, no FIN.
            using var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        s._tcp = tcp;
                        return new NetworkStream(tcp, ownsSocket: true);
                    }
                    catch
                    {
                        tcp.Dispose();
                        throw;
                    }
                },
            };
            using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
            await s._socket.ConnectAsync(url, invoker, token);
            return s;
        }
        catch
        {
            await s.DisposeAsync();
            throw;
        }
    }

    public ValueTask SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken token) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, token);

    public Task SendTextAsync(string text, CancellationToken token) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, token);

    /// <summary>The next text message and its arrival timestamp, or null when the server closed.</summary>
    public async Task<(ReadOnlyMemory<byte> Json, long ReceivedAt)?> ReceiveTextAsync(CancellationToken token)
    {
        var count = 0;
        while (true)
        {
            if (count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var r = await _socket.ReceiveAsync(_buffer.AsMemory(count), token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
                }

                return null;
            }

            count += r.Count;
            if (r.EndOfMessage)
            {
                if (r.MessageType == WebSocketMessageType.Binary)
                {
                    count = 0;
                    continue; // every protocol here answers in text
                }

                return (_buffer.AsMemory(0, count), Stopwatch.GetTimestamp());
            }
        }
    }

    /// <summary>Cuts the TCP connection with a reset (linger 0): what a dropped network looks like to the server.</summary>
    public void Reset()
    {
        if (_tcp is { } tcp)
        {
            try
            {
                tcp.LingerState = new LingerOption(true, 0);
                tcp.Close();
            }
            catch (ObjectDisposedException)
            {
                // already gone
            }
        }
    }

    /// <summary>Closes the connection from this side (after the protocol's own end was acknowledged).</summary>
    public async Task CloseAsync(CancellationToken token)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // the server went away first; nothing to close
            }
        }

        _socket.Dispose();
    }
}
