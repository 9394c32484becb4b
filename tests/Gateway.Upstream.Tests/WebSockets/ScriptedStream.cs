namespace Gateway.Upstream.Tests.WebSockets;

/// <summary>A duplex stream for frame tests: reads come from a script of server bytes (in chunks of at most <c>chunk</c>), writes are captured.</summary>
internal sealed class ScriptedStream : Stream
{
    private readonly byte[] _script;
    private readonly int _chunk;
    private int _position;

    public ScriptedStream(byte[] script, int chunk = int.MaxValue)
    {
        _script = script;
        _chunk = chunk;
    }

    public MemoryStream Written { get; } = new();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, _chunk), _script.Length - _position);
        _script.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

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

    /// <summary>An unmasked server frame.</summary>
    public static byte[] ServerFrame(int opcode, bool fin, ReadOnlySpan<byte> payload, bool masked = false)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        var m = masked ? 0x80 : 0;
        if (payload.Length <= 125)
        {
            header.Add((byte)(m | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add((byte)(m | 126));
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add((byte)(m | 127));
            for (var i = 7; i >= 0; i--)
            {
                header.Add((byte)((long)payload.Length >> (8 * i)));
            }
        }

        if (masked)
        {
            header.AddRange([0, 0, 0, 0]);
        }

        return [.. header, .. payload];
    }

    /// <summary>Decodes the client's masked frames from <see cref="Written"/>: (opcode, fin, unmasked payload).</summary>
    public List<(int Opcode, bool Fin, byte[] Payload)> ClientFrames()
    {
        var bytes = Written.ToArray();
        var frames = new List<(int, bool, byte[])>();
        var p = 0;
        while (p < bytes.Length)
        {
            var opcode = bytes[p] & 0x0F;
            var fin = (bytes[p] & 0x80) != 0;
            Assert.True((bytes[p + 1] & 0x80) != 0, "client frames must be masked");
            long length = bytes[p + 1] & 0x7F;
            p += 2;
            if (length == 126)
            {
                length = (bytes[p] << 8) | bytes[p + 1];
                p += 2;
            }
            else if (length == 127)
            {
                length = 0;
                for (var i = 0; i < 8; i++)
                {
                    length = (length << 8) | bytes[p + i];
                }

                p += 8;
            }

            var key = bytes.AsSpan(p, 4).ToArray();
            p += 4;
            var payload = new byte[length];
            for (var i = 0; i < length; i++)
            {
                payload[i] = (byte)(bytes[p + i] ^ key[i & 3]);
            }

            p += (int)length;
            frames.Add((opcode, fin, payload));
        }

        return frames;
    }
}
