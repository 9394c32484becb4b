using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Gateway.Upstream.WebSockets;

internal sealed partial class WebSocketClientConnection
{
    /// <summary>
    /// TCP connect, optional TLS, then the opening handshake with Sec-WebSocket-Accept validation.
    /// Throws <see cref="SocketException"/>, <see cref="System.Security.Authentication.AuthenticationException"/>,
    /// <see cref="WebSocketProtocolException"/> (handshake) or <see cref="OperationCanceledException"/>; the pool classifies them.
    /// </summary>
    public static async Task<WebSocketClientConnection> ConnectAsync(Uri uri, WebSocketClientOptions options, CancellationToken cancellationToken)
    {
        var secure = uri.Scheme switch
        {
            "ws" => false,
            "wss" => true,
            _ => throw new ArgumentException($"Not a WebSocket URL: {uri}", nameof(uri)),
        };

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(uri.IdnHost, uri.Port), cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (secure)
            {
                var trust = options.Tls;
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = uri.IdnHost,
                        RemoteCertificateValidationCallback = trust is null
                            ? null
                            : (_, certificate, _, errors) => trust.Validate(certificate, errors),
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            var key = WebSocketHandshake.CreateKey();
            await stream.WriteAsync(WebSocketHandshake.BuildRequest(uri, key), cancellationToken).ConfigureAwait(false);

            var buffer = new byte[options.ReceiveBufferSize];
            var filled = 0;
            int endOfHead;
            while ((endOfHead = WebSocketHandshake.FindEndOfHead(buffer.AsSpan(0, filled))) < 0)
            {
                if (filled == buffer.Length)
                {
                    throw new WebSocketProtocolException("The handshake response head is larger than the receive buffer.");
                }

                var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new WebSocketProtocolException("The server closed the connection during the handshake.");
                }

                filled += n;
            }

            var status = WebSocketHandshake.Validate(buffer.AsSpan(0, endOfHead - 4), key);
            if (status != HandshakeStatus.Ok)
            {
                throw new WebSocketProtocolException($"WebSocket handshake failed: {status}.");
            }

            // Bytes after the head are the first frames; keep them at the start of the receive buffer.
            var leftover = filled - endOfHead;
            Buffer.BlockCopy(buffer, endOfHead, buffer, 0, leftover);
            return new WebSocketClientConnection(stream, socket, options, buffer, leftover);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }
}
