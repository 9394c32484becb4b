using System.Net.Sockets;

namespace Gateway.Upstream.WebSockets;

/// <summary>
/// Our RFC 6455 client connection over a <see cref="Socket"/> (optionally wrapped in an SslStream).
/// </summary>
/// <remarks>
/// Concurrency: one reader (<see cref="ReceiveAsync"/>) and any number of writers; writes are serialised by a
/// lock because the reader also writes (pong and close replies). The read side never touches the send buffer.
/// The steady state allocates nothing: fixed send/receive buffers, pooled async state machines.
/// </remarks>
internal sealed partial class WebSocketClientConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Socket? _socket;
    private readonly int _maxMessageBytes;
    private int _disposed;

    private WebSocketClientConnection(Stream stream, Socket? socket, WebSocketClientOptions options, byte[] receiveBuffer, int received)
    {
        _stream = stream;
        _socket = socket;
        _maxMessageBytes = options.MaxMessageBytes;
        _sendBuffer = new byte[options.SendBufferSize];
        _receiveBuffer = receiveBuffer;
        _receiveEnd = received;
    }

    /// <summary>Wraps an already upgraded stream (tests and benchmarks); <paramref name="leftover"/> are bytes read past the handshake.</summary>
    public static WebSocketClientConnection FromStream(Stream stream, WebSocketClientOptions options, ReadOnlySpan<byte> leftover = default)
    {
        var buffer = new byte[Math.Max(options.ReceiveBufferSize, leftover.Length)];
        leftover.CopyTo(buffer);
        return new WebSocketClientConnection(stream, null, options, buffer, leftover.Length);
    }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>True once a close frame was sent or received, or the stream failed: the connection must not be reused.</summary>
    public bool IsClosed => _closeSent || _closeReceived || _faulted || IsDisposed;

    /// <summary>Drops the connection without a close handshake (the pool's way of discarding a suspect connection).</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _socket?.Dispose();
        return _stream.DisposeAsync();
    }
}
