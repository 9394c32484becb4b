using System.Buffers.Binary;

namespace Gateway.Upstream.WebSockets;

internal sealed partial class WebSocketClientConnection
{
    /// <summary>Sends a ping (flushed with anything buffered). The pong comes back through <see cref="ReceiveAsync"/>.</summary>
    public ValueTask SendPingAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendControlAsync(WebSocketOpcode.Ping, payload, cancellationToken);

    /// <summary>
    /// Starts the close handshake and waits for the server's close frame (data messages still in flight are discarded).
    /// The caller bounds the wait with <paramref name="cancellationToken"/>.
    /// </summary>
    public async ValueTask<int> CloseAsync(int status, CancellationToken cancellationToken)
    {
        if (!_closeSent)
        {
            await SendCloseFrameAsync(status, cancellationToken).ConfigureAwait(false);
        }

        while (!_closeReceived)
        {
            var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (message.Kind == WebSocketMessageKind.Close)
            {
                return message.CloseStatus;
            }
        }

        return status;
    }

    private async ValueTask SendCloseFrameAsync(int status, CancellationToken cancellationToken)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)status);
        await SendControlAsync(WebSocketOpcode.Close, payload, cancellationToken).ConfigureAwait(false);
        _closeSent = true;
    }

    private ValueTask SendControlAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > WebSocketFrame.MaxControlPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "Control frame payloads are at most 125 bytes.");
        }

        return SendAsync(opcode, payload, flush: true, cancellationToken);
    }
}
