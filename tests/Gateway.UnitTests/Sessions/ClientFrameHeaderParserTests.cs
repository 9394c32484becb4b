using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Sessions;

public sealed class ClientFrameHeaderParserTests
{
    private const int Limit = 1000;

    // Three masked client frames: 5 B (7-bit length), 1000 B (16-bit length, exactly the limit), 300 B (64-bit length).
    private static readonly byte[] Frames =
    [
        0x82, 0x85, 1, 2, 3, 4, 9, 9, 9, 9, 9,
        0x82, 0x80 | 126, 1000 >> 8, 1000 & 0xFF, 1, 2, 3, 4, .. new byte[1000],
        0x82, 0x80 | 127, 0, 0, 0, 0, 0, 0, 300 >> 8, 300 & 0xFF, 1, 2, 3, 4, .. new byte[300],
    ];

    [Fact]
    public void Follow_FramesAtOrUnderTheLimit_AllDeliverableAndBetweenFramesAtTheEnd()
    {
        var parser = new ClientFrameHeaderParser();

        var scan = parser.Follow(Frames, 0, Limit);

        Assert.Equal(new HeaderScan(Frames.Length), scan);
        Assert.False(scan.Oversized);
        Assert.Equal(0, parser.PartialHeaderBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(13)]
    [InlineData(500)]
    public void Follow_BytesInPiecesOfAnySize_SameBoundariesAsInOnePiece(int piece)
    {
        var parser = new ClientFrameHeaderParser();
        byte[] oversized = [0x82, 0x80 | 127, 0, 0, 0, 0, 0, 0, (Limit + 1) >> 8, (Limit + 1) & 0xFF, 7, 7, 7, 7];
        byte[] data = [.. Frames, .. oversized];
        var offset = 0;
        HeaderScan scan = default;
        while (offset < data.Length)
        {
            var n = Math.Min(piece, data.Length - offset);
            scan = parser.Follow(data.AsSpan(offset, n), 0, Limit);
            if (scan.Oversized)
            {
                break;
            }

            Assert.Equal(n, scan.Deliverable);
            offset += n;
        }

        Assert.True(scan.Oversized);
        Assert.Equal(Limit + 1L, scan.Declared);
        Assert.Equal(4, scan.MaskBytes);
        // The length ends 10 bytes into the oversized header; the header began where the frames end.
        Assert.Equal(Frames.Length + 10, offset + scan.AfterLength);
        Assert.Equal(Math.Max(0, Frames.Length - offset), scan.Deliverable);
    }

    [Theory]
    [InlineData(0x80 | 126, new byte[] { 0x03, 0xE9 }, 1001)] // 16-bit length, one over the limit
    [InlineData(0x80 | 127, new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, long.MaxValue)]
    [InlineData(0x80 | 127, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, long.MaxValue)] // over 2^63: clamped
    public void Follow_HeaderOverTheLimit_RefusedAtItsLengthBeforeTheMask(byte second, byte[] length, long declared)
    {
        var parser = new ClientFrameHeaderParser();
        byte[] small = [0x81, 0x82, 0, 0, 0, 0, 0x68, 0x69];
        byte[] data = [.. small, 0x82, second, .. length, 1, 2, 3, 4, 0x88, 0x80];

        var scan = parser.Follow(data, 0, Limit);

        Assert.Equal(new HeaderScan(small.Length, declared, small.Length + 2 + length.Length, 4), scan);
        Assert.Equal(0, parser.PartialHeaderBytes);
    }

    [Fact]
    public void Follow_UnmaskedHeaderOverTheLimit_NoMaskBytes()
    {
        var parser = new ClientFrameHeaderParser();

        var scan = parser.Follow([0x82, 126, 0x10, 0x00], 0, Limit);

        Assert.Equal(new HeaderScan(0, 4096, 4, 0), scan);
    }

    [Fact]
    public void Follow_HeaderCutShort_PartialHeaderKeptAndHeldBytesNotSeenTwice()
    {
        var parser = new ClientFrameHeaderParser();
        byte[] header = [0x82, 0x80 | 126, 1000 >> 8, 1000 & 0xFF, 1, 2, 3, 4];

        Assert.Equal(new HeaderScan(3), parser.Follow(header.AsSpan(0, 3), 0, Limit));
        Assert.Equal(3, parser.PartialHeaderBytes);
        var held = new byte[3];
        parser.CopyPartialHeaderEnd(3, held);
        Assert.Equal(header[..3], held);
        parser.CopyPartialHeaderEnd(2, held);
        Assert.Equal(header[1..3], held[..2]);

        // The next span starts with the held-back bytes; only what follows them is new.
        byte[] next = [.. header, .. new byte[1000], 0x82, 0x80];
        var scan = parser.Follow(next, 3, Limit);

        Assert.Equal(new HeaderScan(next.Length), scan);
        Assert.Equal(2, parser.PartialHeaderBytes);
    }

    [Fact]
    public void Follow_LimitOfOneByte_EmptyAndOneBytePayloadsPassTwoRefused()
    {
        var parser = new ClientFrameHeaderParser();
        byte[] data = [0x8A, 0x80, 0, 0, 0, 0, 0x82, 0x81, 0, 0, 0, 0, 5, 0x82, 0x82, 0, 0, 0, 0, 5, 6];

        var scan = parser.Follow(data, 0, limit: 1);

        Assert.Equal(new HeaderScan(13, 2, 15, 4), scan);
    }
}
