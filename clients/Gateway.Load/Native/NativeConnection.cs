using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Gateway.Load.Native;

/// <summary>
/// A client of the gateway's native protocol (docs/protocol.md) over <see cref="ClientWebSocket"/>.
/// One sender and one receiver may run concurrently (the WebSocket contract).
/// </summary>
internal sealed class NativeConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private byte[] _buffer = new byte[16 * 1024];

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<NativeConnection> ConnectAsync(Uri url, CancellationToken token)
    {
        var c = new NativeConnection();
        c._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await c._socket.ConnectAsync(url, token);
            return c;
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>start</c> message: 16 kHz mono PCM16 with interim results, plus a segmenter override.</summary>
    public Task SendStartAsync(int endpointSilenceMs, CancellationToken token) =>
        SendTextAsync($"{{\"type\":\"start\",\"encoding\":\"pcm_s16le\",\"sample_rate\":16000,\"channels\":1,\"interim_results\":true,\"segmentation\":{{\"endpoint_silence_ms\":{endpointSilenceMs}}}}}", token);

    public Task SendCloseAsync(CancellationToken token) => SendTextAsync("{\"type\":\"close\"}", token);

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token) =>
        _socket.SendAsync(pcm, WebSocketMessageType.Binary, true, token);

    public Task SendTextAsync(string json, CancellationToken token) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, token);

    /// <summary>The next server message, or null when the server closed (see <see cref="CloseStatus"/>).</summary>
    public async Task<ServerMessage?> ReceiveAsync(CancellationToken token)
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
                    continue; // the native protocol sends text only
                }

                return ServerMessage.Parse(_buffer.AsSpan(0, count), Stopwatch.GetTimestamp());
            }
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
