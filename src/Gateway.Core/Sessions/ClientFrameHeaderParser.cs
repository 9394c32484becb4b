using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Sessions;

/// <summary>
/// Follows the frame boundaries of a client's WebSocket byte stream as it arrives in pieces of any size, and finds
/// the first header that declares a payload over the limit. It takes spans and keeps only the header in progress;
/// payload bytes are skipped by count. A mutable struct: keep it in a field and call it in place.
/// </summary>
/// <remarks>
/// Client frames (RFC 6455 §5.2), always masked:
/// <code>
///  byte 0: FIN RSV1-3 opcode | byte 1: MASK len7 | len7 = 126: 2-byte length, 127: 8-byte length | 4-byte mask | payload
/// </code>
/// A length is judged as soon as it is whole, before its mask: the mask and whatever follows are the caller's.
/// </remarks>
internal struct ClientFrameHeaderParser
{
    /// <summary>The longest frame header: 2 bytes, an 8-byte length, a 4-byte mask.</summary>
    public const int MaxHeaderBytes = 14;

    private HeaderBytes _header;
    private int _headerBytes;
    private long _payloadLeft;

    /// <summary>Bytes of the header in progress seen so far (0 between frames).</summary>
    public readonly int PartialHeaderBytes => _headerBytes;

    /// <summary>
    /// Follows <paramref name="data"/>[<paramref name="from"/>..]; <paramref name="data"/>[..<paramref name="from"/>]
    /// is the start of the header in progress, already seen (held back from an earlier read).
    /// </summary>
    /// <returns>
    /// <see cref="HeaderScan.Deliverable"/> is all of <paramref name="data"/>, or the bytes before the first header
    /// declaring more than <paramref name="limit"/> (0 when it began in an earlier span). After that header, the
    /// parser is between frames again and the rest of <paramref name="data"/> is not looked at.
    /// </returns>
    public HeaderScan Follow(ReadOnlySpan<byte> data, int from, long limit)
    {
        var i = from;
        var headerStart = 0; // where the header being read began in this span (0 when it began in an earlier one)
        while (i < data.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, data.Length - i);
                _payloadLeft -= skip;
                i += skip;
                continue;
            }

            if (_headerBytes == 0)
            {
                headerStart = i;
            }

            _header[_headerBytes++] = data[i++];
            if (_headerBytes < 2)
            {
                continue;
            }

            var len7 = _header[1] & 0x7F;
            var extended = len7 switch { 126 => 2, 127 => 8, _ => 0 };
            if (_headerBytes < 2 + extended)
            {
                continue;
            }

            ReadOnlySpan<byte> header = _header;
            var length = extended switch
            {
                0 => len7,
                2 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
                _ => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(header[2..]), long.MaxValue),
            };
            var maskBytes = (_header[1] & 0x80) != 0 ? 4 : 0;
            if (length > limit)
            {
                _headerBytes = 0;
                return new HeaderScan(headerStart, length, i, maskBytes);
            }

            if (_headerBytes < 2 + extended + maskBytes)
            {
                continue;
            }

            _payloadLeft = length;
            _headerBytes = 0;
        }

        return new HeaderScan(data.Length);
    }

    /// <summary>
    /// Copies the last <paramref name="count"/> bytes seen of the header in progress to <paramref name="destination"/>:
    /// the ones at the end of the last span, when the header began in an earlier one.
    /// </summary>
    public readonly void CopyPartialHeaderEnd(int count, Span<byte> destination)
    {
        ReadOnlySpan<byte> header = _header;
        header[(_headerBytes - count).._headerBytes].CopyTo(destination);
    }

    [InlineArray(MaxHeaderBytes)]
    private struct HeaderBytes
    {
        private byte _first;
    }
}
