namespace Gateway.Benchmarks.Sessions;

/// <summary>
/// A client sending the same masked binary frame forever, from memory: each read returns at most the rest of the
/// current frame and completes at once, so a benchmark measures the reader, not a socket.
/// </summary>
internal sealed class CyclicFrameStream : Stream
{
    private readonly byte[] _frame;
    private int _position;

    public CyclicFrameStream(int payloadBytes)
    {
        // FIN + binary, masked (zero mask), 2-byte length form.
        _frame = [0x82, 0x80 | 126, (byte)(payloadBytes >> 8), (byte)payloadBytes, 0, 0, 0, 0, .. new byte[payloadBytes]];
    }

    public int FrameBytes => _frame.Length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _frame.Length - _position);
        _frame.AsSpan(_position, n).CopyTo(buffer);
        _position = (_position + n) % _frame.Length;
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override void Write(byte[] buffer, int offset, int count)
    {
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
