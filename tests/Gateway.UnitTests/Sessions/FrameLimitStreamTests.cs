using System.Buffers.Binary;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Sessions;

public sealed class FrameLimitStreamTests
{
    private const int Limit = 1000;

    [Fact(Timeout = 10_000)]
    public async Task Read_OversizedHeaderSplitAcrossReads_FramesBeforeItDeliveredThenClose1009()
    {
        byte[] small = [0x82, 0x85, 0, 0, 0, 0, 1, 2, 3, 4, 5];
        byte[] atLimit = [0x82, 0x80 | 126, Limit >> 8, Limit & 0xFF, 0, 0, 0, 0, .. new byte[Limit]];
        byte[] oversized = [0x82, 0x80 | 126, (Limit + 1) >> 8, (Limit + 1) & 0xFF, 0, 0, 0, 0];
        var inner = new TrickleStream([.. small, .. atLimit, .. oversized], bytesPerRead: 3);
        await using var guard = new FrameLimitStream(inner, Limit, TimeProvider.System);

        var delivered = new List<byte>();
        var buffer = new byte[64];
        var refusal = await Assert.ThrowsAsync<ClientFrameTooLargeException>(async () =>
        {
            while (true)
            {
                var read = await guard.ReadAsync(buffer);
                Assert.NotEqual(0, read);
                delivered.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        });

        // Everything up to the oversized header, nothing of it: the framework WebSocket never starts that frame.
        Assert.Equal([.. small, .. atLimit], delivered.Take(small.Length + atLimit.Length));
        Assert.True(delivered.Count < small.Length + atLimit.Length + 4);
        Assert.Equal(Limit + 1, refusal.Declared);
        Assert.Equal(FrameLimitStream.CloseFrame(Limit), inner.Written.ToArray());
        Assert.Equal(1009, BinaryPrimitives.ReadUInt16BigEndian(inner.Written.ToArray().AsSpan(2)));
        Assert.True(guard.Refused);
    }

    [Fact(Timeout = 10_000)]
    public async Task Write_AfterTheRefusal_DroppedSoOnlyOneCloseGoesOut()
    {
        byte[] oversized = [0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        var inner = new TrickleStream(oversized, bytesPerRead: 64);
        await using var guard = new FrameLimitStream(inner, Limit, TimeProvider.System);

        await Assert.ThrowsAsync<ClientFrameTooLargeException>(async () => _ = await guard.ReadAtLeastAsync(new byte[64], 1, throwOnEndOfStream: false));
        await guard.WriteAsync(new byte[] { 0x88, 0 });

        Assert.Equal(FrameLimitStream.CloseFrame(Limit), inner.Written.ToArray());
    }

    [Fact(Timeout = 10_000)]
    public async Task Read_FrameAfterFrame_AllocatesNothing()
    {
        byte[] frame = [0x82, 0x80 | 126, 640 >> 8, 640 & 0xFF, 0, 0, 0, 0, .. new byte[640]];
        await using var guard = new FrameLimitStream(new RepeatingStream(frame), Limit, TimeProvider.System);
        var buffer = new byte[frame.Length];
        for (var i = 0; i < 100; i++)
        {
            await guard.ReadAsync(buffer); // warm-up: first-call costs (JIT, tiering) are not per frame
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(frame.Length, await guard.ReadAsync(buffer));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>One whole frame per read, completed synchronously (as reads mostly are when data is waiting).</summary>
    private sealed class RepeatingStream(byte[] frame) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(buffer.Length, frame.Length);
            frame.AsSpan(0, n).CopyTo(buffer.Span);
            return new ValueTask<int>(n);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Returns its bytes a few at a time, as TCP may; records what is written.</summary>
    private sealed class TrickleStream(byte[] data, int bytesPerRead) : Stream
    {
        private int _position;

        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, bytesPerRead), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
