using System.Buffers.Binary;
using System.Text;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Sessions;

public sealed class FrameLimitStreamTests
{
    private const int Limit = 1000;

    // The client's answer to close 1009: FIN + close, masked (zero mask), code 1009.
    private static readonly byte[] CloseReply = [0x88, 0x82, 0, 0, 0, 0, 0x03, 0xF1];

    [Theory(Timeout = 10_000)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Read_OversizedHeaderThenCloseReply_FramesBeforeItDeliveredThenA1009CloseWithoutWaitingForTheClock(int bytesPerRead)
    {
        byte[] small = [0x82, 0x85, 0, 0, 0, 0, 1, 2, 3, 4, 5];
        byte[] atLimit = [0x82, 0x80 | 126, Limit >> 8, Limit & 0xFF, 0, 0, 0, 0, .. new byte[Limit]];
        byte[] oversized = [0x82, 0x80 | 126, (Limit + 1) >> 8, (Limit + 1) & 0xFF, 0, 0, 0, 0];
        var inner = new TrickleStream([.. small, .. atLimit, .. oversized, .. CloseReply], bytesPerRead); // then silence
        var refused = new List<long>();
        await using var guard = new FrameLimitStream(inner, Limit, new FakeTimeProvider(), refused.Add); // a clock that never moves

        var delivered = await ReadToEndAsync(guard);

        // Everything up to the oversized header, then (as if the client had sent it) a close 1009 with the reason.
        byte[] expected = [.. small, .. atLimit, .. FrameRefusal.CloseFrame(Limit, masked: true)];
        Assert.Equal(expected, delivered);
        Assert.Equal(FrameRefusal.CloseFrame(Limit, masked: false), inner.Written.ToArray());
        Assert.Equal(1009, BinaryPrimitives.ReadUInt16BigEndian(inner.Written.ToArray().AsSpan(2)));
        Assert.Equal("message exceeds the limit of 1000 bytes", Encoding.UTF8.GetString(inner.Written.ToArray().AsSpan(4)));
        Assert.Equal([Limit + 1], refused);
        Assert.True(guard.Refused);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_OversizedHeaderThenNoReply_CloseHandedUpAfterTheQuietPeriod(bool sendsPayload)
    {
        byte[] oversized = [0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        var inner = new TrickleStream(sendsPayload ? [.. oversized, .. new byte[3000]] : oversized, bytesPerRead: 512);
        var time = new FakeTimeProvider();
        await using var guard = new FrameLimitStream(inner, Limit, time);

        var read = guard.ReadAsync(new byte[64]).AsTask();
        await inner.Drained.Task; // all the client sent was read; the guard now waits for more
        Assert.False(read.IsCompleted);
        time.Advance(FrameRefusal.QuietPeriod);

        Assert.Equal(FrameRefusal.CloseFrame(Limit, masked: true).Length, await read);
        Assert.Equal(FrameRefusal.CloseFrame(Limit, masked: false), inner.Written.ToArray());
    }

    [Fact(Timeout = 10_000)]
    public async Task Write_AfterTheRefusal_DroppedSoOnlyOneCloseGoesOut()
    {
        byte[] oversized = [0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        var inner = new TrickleStream([.. oversized, .. CloseReply], bytesPerRead: 64);
        await using var guard = new FrameLimitStream(inner, Limit, new FakeTimeProvider());

        _ = await ReadToEndAsync(guard);
        await guard.WriteAsync(new byte[] { 0x88, 0 });

        Assert.Equal(FrameRefusal.CloseFrame(Limit, masked: false), inner.Written.ToArray());
    }

    [Fact(Timeout = 10_000)]
    public async Task Read_FrameAfterFrame_AllocatesNothing()
    {
        byte[] frame = [0x82, 0x80 | 126, 640 >> 8, 640 & 0xFF, 0, 0, 0, 0, .. new byte[640]];
        await using var guard = new FrameLimitStream(new RepeatingStream(frame), Limit, TimeProvider.System);
        var buffer = new byte[frame.Length];
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(frame.Length, await guard.ReadAsync(buffer)); // warm-up: first-call costs (JIT, tiering) are not per frame
        }

        long delivered = 0; // summed, not asserted per read: xunit's Assert.Equal allocates a comparer per call
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            delivered += await guard.ReadAsync(buffer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000L * frame.Length, delivered);
        Assert.Equal(0, allocated);
    }

    [Fact(Timeout = 10_000)]
    public async Task Read_HeaderStartedInASmallBufferEndsInALargeOne_BytesDeliveredOnceInOrder()
    {
        byte[] frame = [0x82, 0x80 | 126, 300 >> 8, 300 & 0xFF, 1, 2, 3, 4, .. Enumerable.Range(0, 300).Select(i => (byte)i)];
        byte[] data = [.. frame, .. frame];
        await using var guard = new FrameLimitStream(new TrickleStream(data, bytesPerRead: 2), Limit, new FakeTimeProvider());
        var delivered = new List<byte>();
        var buffer = new byte[64];
        var reads = 0;
        while (delivered.Count < data.Length)
        {
            // Every other read offers one byte (less than a whole header), the rest 64 (more than one).
            var read = await guard.ReadAsync(buffer.AsMemory(0, reads++ % 2 == 0 ? 1 : buffer.Length));
            delivered.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        Assert.Equal(data, delivered);
    }

    /// <summary>Reads until the guard reports end of stream (it does once the handed-up close is all read).</summary>
    private static async Task<byte[]> ReadToEndAsync(Stream guard)
    {
        var delivered = new List<byte>();
        var buffer = new byte[64];
        int read;
        while ((read = await guard.ReadAsync(buffer)) > 0)
        {
            delivered.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return [.. delivered];
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

    /// <summary>
    /// Returns its bytes a few at a time, as TCP may, then stays silent (a client that keeps the connection open)
    /// until the read is cancelled; records what is written.
    /// </summary>
    private sealed class TrickleStream(byte[] data, int bytesPerRead) : Stream
    {
        private int _position;

        public MemoryStream Written { get; } = new();

        /// <summary>Completes when a read finds nothing left: the guard is waiting on a silent client.</summary>
        public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == data.Length && !buffer.IsEmpty)
            {
                Drained.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var n = Math.Min(Math.Min(buffer.Length, bytesPerRead), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
