using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Gateway.Upstream.WebSockets;

internal sealed partial class WebSocketClientConnection
{
    private readonly byte[] _receiveBuffer;
    private int _receiveStart;
    private int _receiveEnd;
    private byte[]? _message;
    private int _messageLength;
    private WebSocketOpcode _messageOpcode;
    private bool _closeReceived;

    /// <summary>Bytes received but not yet returned: after an utterance's terminal message there should be none.</summary>
    public bool HasUnreadData => _receiveEnd > _receiveStart;

    /// <summary>
    /// Receives the next data message, pong or close. Pings are answered here; fragments are joined. The returned
    /// payload is valid until the next call. Single reader only. Throws <see cref="WebSocketProtocolException"/> when
    /// the server breaks RFC 6455; returns <see cref="WebSocketMessage.Abnormal"/> when the stream ends without a close.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<WebSocketMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            FrameHeader header;
            FrameHeaderStatus status;
            while ((status = WebSocketFrame.TryParseServerHeader(_receiveBuffer.AsSpan(_receiveStart, _receiveEnd - _receiveStart), out header)) == FrameHeaderStatus.NeedMore)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    _faulted = true;
                    return WebSocketMessage.Abnormal;
                }
            }

            if (status != FrameHeaderStatus.Ok)
            {
                _faulted = true;
                throw new WebSocketProtocolException($"Bad frame from the server: {status}.");
            }

            var isControl = header.Opcode >= WebSocketOpcode.Close;
            if (!isControl)
            {
                var continuing = _messageOpcode != WebSocketOpcode.Continuation;
                if (header.Opcode == WebSocketOpcode.Continuation != continuing)
                {
                    _faulted = true;
                    throw new WebSocketProtocolException(continuing ? "A new message began inside a fragmented one." : "A continuation frame without a message.");
                }

                if ((continuing ? _messageLength : 0) + header.PayloadLength > _maxMessageBytes)
                {
                    _faulted = true;
                    throw new WebSocketProtocolException($"A message exceeds {_maxMessageBytes} bytes.");
                }
            }

            var frameLength = header.HeaderLength + (int)header.PayloadLength;
            if (isControl || (header.Fin && header.Opcode != WebSocketOpcode.Continuation && frameLength <= _receiveBuffer.Length))
            {
                // PERF: a whole frame that fits the receive buffer is returned in place, no copy.
                while (_receiveEnd - _receiveStart < frameLength)
                {
                    if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _faulted = true;
                        return WebSocketMessage.Abnormal;
                    }
                }

                var payload = _receiveBuffer.AsMemory(_receiveStart + header.HeaderLength, (int)header.PayloadLength);
                _receiveStart += frameLength;
                switch (header.Opcode)
                {
                    case WebSocketOpcode.Text:
                        return new WebSocketMessage(WebSocketMessageKind.Text, payload);
                    case WebSocketOpcode.Binary:
                        return new WebSocketMessage(WebSocketMessageKind.Binary, payload);
                    case WebSocketOpcode.Pong:
                        return new WebSocketMessage(WebSocketMessageKind.Pong, payload);
                    case WebSocketOpcode.Ping:
                        await SendControlAsync(WebSocketOpcode.Pong, payload, cancellationToken).ConfigureAwait(false);
                        continue;
                    default:
                        return await OnCloseFrameAsync(payload, cancellationToken).ConfigureAwait(false);
                }
            }

            // A fragment, or a frame larger than the receive buffer: join into the message buffer.
            _receiveStart += header.HeaderLength;
            if (header.Opcode != WebSocketOpcode.Continuation)
            {
                _messageOpcode = header.Opcode;
                _messageLength = 0;
            }

            EnsureMessageCapacity(_messageLength + (int)header.PayloadLength);
            var remaining = (int)header.PayloadLength;
            while (remaining > 0)
            {
                if (_receiveEnd == _receiveStart && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    _faulted = true;
                    return WebSocketMessage.Abnormal;
                }

                var n = Math.Min(remaining, _receiveEnd - _receiveStart);
                _receiveBuffer.AsSpan(_receiveStart, n).CopyTo(_message.AsSpan(_messageLength));
                _receiveStart += n;
                _messageLength += n;
                remaining -= n;
            }

            if (header.Fin)
            {
                var kind = _messageOpcode == WebSocketOpcode.Text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
                _messageOpcode = 0;
                return new WebSocketMessage(kind, _message.AsMemory(0, _messageLength));
            }
        }
    }

    private async ValueTask<WebSocketMessage> OnCloseFrameAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _closeReceived = true;
        var status = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload.Span) : 1005;
        if (!_closeSent)
        {
            // §5.5.1: echo the status back to complete the close handshake.
            try
            {
                await SendCloseFrameAsync(payload.Length >= 2 ? status : 1000, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The peer may already be gone; the connection is closed either way.
            }
        }

        return new WebSocketMessage(WebSocketMessageKind.Close, payload, status);
    }

    private void EnsureMessageCapacity(int needed)
    {
        if (_message is null || _message.Length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _message?.Length * 2 ?? 4096));
            if (_message is not null)
            {
                _message.AsSpan(0, _messageLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_message);
            }

            _message = bigger;
        }
    }

    /// <summary>Reads more bytes, compacting first when the buffer's tail is full. False at end of stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_receiveStart > 0 && (_receiveEnd == _receiveBuffer.Length || _receiveStart == _receiveEnd))
        {
            var live = _receiveEnd - _receiveStart;
            Buffer.BlockCopy(_receiveBuffer, _receiveStart, _receiveBuffer, 0, live);
            _receiveStart = 0;
            _receiveEnd = live;
        }

        int n;
        try
        {
            n = await _stream.ReadAsync(_receiveBuffer.AsMemory(_receiveEnd), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }

        _receiveEnd += n;
        return n > 0;
    }
}
