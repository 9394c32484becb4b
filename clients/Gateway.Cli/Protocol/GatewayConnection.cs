using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Cli.Protocol;

/// <summary>
/// One WebSocket session with the gateway's native endpoint. Concurrency contract: one sender (the audio pump)
/// and one reader (the event loop), as <see cref="ClientWebSocket"/> allows.
/// </summary>
internal sealed class GatewayConnection : IAsyncDisposable
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);
    private readonly ClientWebSocket _socket;

    private GatewayConnection(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public bool CanSend => _socket.State == WebSocketState.Open;

    /// <summary>Why reading failed without a close handshake (a reset, a keep-alive timeout); null otherwise.</summary>
    public string? LostReason { get; private set; }

    /// <summary>Opens the WebSocket; throws <see cref="CannotConnectException"/> when the gateway cannot be reached.</summary>
    public static async Task<GatewayConnection> ConnectAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // A half-open connection (Wi-Fi gone, no reset) fails within a few seconds instead of minutes: pings expect a pong.
        socket.Options.KeepAliveInterval = KeepAlive;
        socket.Options.KeepAliveTimeout = KeepAlive;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(server, connectTimeout.Token);
            return new GatewayConnection(socket);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new CannotConnectException($"cannot connect to {server}: {(ex is OperationCanceledException ? "timed out" : ex.Message)}", ex);
        }
    }

    public Task SendTextAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) =>
        _socket.SendAsync(audio, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <summary>Server messages until the server closes (or the connection is lost: the enumeration then ends with <see cref="CloseStatus"/> null).</summary>
    public async IAsyncEnumerable<ServerMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            }
            catch (WebSocketException ex)
            {
                LostReason = ex.InnerException?.Message ?? ex.Message;
                yield break;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await CloseOutputQuietlyAsync();
                }

                yield break;
            }

            buffer.Advance(result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Text && ServerMessage.Parse(buffer.WrittenSpan) is { } message)
            {
                yield return message;
            }

            buffer.ResetWrittenCount();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await CloseOutputQuietlyAsync();
        }

        _socket.Dispose();
    }

    private async Task CloseOutputQuietlyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer is gone; nothing left to tell it.
        }
    }
}
