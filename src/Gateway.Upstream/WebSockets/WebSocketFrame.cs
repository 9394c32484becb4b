using System.Buffers.Binary;

namespace Gateway.Upstream.WebSockets;

/// <summary>
/// RFC 6455 §5.2 frame headers, on spans only (no sockets here).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-------+-+-------------+-------------------------------+
/// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
/// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
/// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
/// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
/// |     Extended payload length continued, if payload len == 127  |
/// + - - - - - - - - - - - - - - - +-------------------------------+
/// |                               | Masking-key, if MASK set to 1 |
/// +-------------------------------+-------------------------------+
/// </code>
/// </summary>
internal static class WebSocketFrame
{
    /// <summary>The longest client header: 2 + 8 extended length + 4 mask.</summary>
    public const int MaxClientHeaderLength = 14;

    public const int MaxControlPayload = 125;

    public static int ClientHeaderLength(long payloadLength) =>
        payloadLength <= 125 ? 6 : payloadLength <= ushort.MaxValue ? 8 : 14;

    /// <summary>Writes a masked client frame header (FIN set when <paramref name="fin"/>); returns its length.</summary>
    public static int WriteClientHeader(Span<byte> destination, WebSocketOpcode opcode, bool fin, long payloadLength, uint mask)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | (byte)opcode);
        int offset;
        if (payloadLength <= 125)
        {
            destination[1] = (byte)(0x80 | payloadLength);
            offset = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            offset = 4;
        }
        else
        {
            destination[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            offset = 10;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], mask);
        return offset + 4;
    }

    /// <summary>
    /// Parses a frame header sent by a server. Returns <see cref="FrameHeaderStatus.NeedMore"/> until
    /// <paramref name="source"/> holds the whole header.
    /// </summary>
    public static FrameHeaderStatus TryParseServerHeader(ReadOnlySpan<byte> source, out FrameHeader header)
    {
        header = default;
        if (source.Length < 2)
        {
            return FrameHeaderStatus.NeedMore;
        }

        var b0 = source[0];
        var b1 = source[1];
        if ((b0 & 0x70) != 0)
        {
            return FrameHeaderStatus.ReservedBitsSet;
        }

        if ((b1 & 0x80) != 0)
        {
            // §5.1: a client MUST close the connection if it receives a masked frame.
            return FrameHeaderStatus.MaskedByServer;
        }

        var opcode = (WebSocketOpcode)(b0 & 0x0F);
        var fin = (b0 & 0x80) != 0;
        long length = b1 & 0x7F;
        var headerLength = 2;
        if (length == 126)
        {
            if (source.Length < 4)
            {
                return FrameHeaderStatus.NeedMore;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
            headerLength = 4;
        }
        else if (length == 127)
        {
            if (source.Length < 10)
            {
                return FrameHeaderStatus.NeedMore;
            }

            var wide = BinaryPrimitives.ReadUInt64BigEndian(source[2..]);
            if (wide > long.MaxValue)
            {
                return FrameHeaderStatus.BadLength;
            }

            length = (long)wide;
            headerLength = 10;
        }

        switch (opcode)
        {
            case WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary:
                break;
            case WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong:
                if (!fin || length > MaxControlPayload)
                {
                    return FrameHeaderStatus.BadControlFrame;
                }

                break;
            default:
                return FrameHeaderStatus.UnknownOpcode;
        }

        header = new FrameHeader(opcode, fin, length, headerLength);
        return FrameHeaderStatus.Ok;
    }
}
