using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Sessions;

/// <summary>
/// The server side of an upgraded WebSocket connection, watching the client's frame headers as their bytes pass
/// through: a header that declares a payload beyond the message limit is refused at once with close 1009, before
/// the payload is waited for or buffered. Without it the framework's WebSocket reads a declared 2 GiB frame
/// patiently and the session only learns of the size once the client has actually sent a megabyte.
/// </summary>
/// <remarks>
/// Client frames (RFC 6455 §5.2), always masked:
/// <code>
///  byte 0: FIN RSV1-3 opcode | byte 1: MASK len7 | len7 = 126: 2-byte length, 127: 8-byte length | 4-byte mask | payload
/// </code>
/// Threading: one reader (the WebSocket's receive) and one writer at a time (the WebSocket's send lock); the close
/// frame this writes goes in between whole frames under <see cref="_write"/>, because the WebSocket writes every
/// frame, header and payload, in one call. PERF: per read, O(header bytes) work and no allocation (pooled async
/// builders; a unit test counts the bytes); payload bytes are skipped by count.
/// <para>
/// After the close frame the refusing read lingers before it fails the WebSocket: it reads and discards what the
/// client still sends (its close reply, or the payload it had started) until the client closes, goes quiet for
/// <see cref="QuietPeriod"/>, or <see cref="MaxLinger"/> has passed. Failing at once tore the connection down with
/// the close frame still queued and unread client bytes in the socket, and the client saw a reset, not the 1009.
/// </para>
/// </remarks>
public sealed class FrameLimitStream : Stream
{
    private const int MaxHeaderBytes = 14;

    /// <summary>How long the client may stay silent after the close frame before the connection is let go.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest the refused connection is held open, however much the client keeps sending.</summary>
    public static readonly TimeSpan MaxLinger = TimeSpan.FromSeconds(2);

    private readonly Stream _inner;
    private readonly long _limit;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly byte[] _header = new byte[MaxHeaderBytes];
    private int _headerBytes;
    private long _payloadLeft;
    private long _refusedLength = -1; // the declared length of the refused frame, once one was seen
    private bool _closeSent;

    public FrameLimitStream(Stream inner, long limit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _inner = inner;
        _limit = limit;
        _time = time;
    }

    /// <summary>True once a frame header over the limit was refused (the close frame is sent or being sent).</summary>
    public bool Refused => Volatile.Read(ref _refusedLength) >= 0;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Refused)
        {
            await RefuseAsync();
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken);
        if (read == 0 || buffer.IsEmpty)
        {
            return read;
        }

        var deliver = Inspect(buffer.Span[..read]);
        if (deliver == 0 && Refused)
        {
            await RefuseAsync();
        }

        // Frames before an oversized header still reach the session; the refusal then comes with the next read.

        return deliver;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            if (!_closeSent)
            {
                await _inner.WriteAsync(buffer, cancellationToken);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _write.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        _write.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>
    /// Follows the frame boundaries through <paramref name="data"/>; returns how many bytes may be delivered: all of
    /// them, or those before the first header that declares a payload over the limit.
    /// </summary>
    private int Inspect(ReadOnlySpan<byte> data)
    {
        var i = 0;
        var headerStart = 0; // where the header being read began in this buffer (0 when it began in an earlier one)
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

            var length = extended switch
            {
                0 => len7,
                2 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
                _ => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)), long.MaxValue),
            };
            if (length > _limit)
            {
                Volatile.Write(ref _refusedLength, length);
                return headerStart;
            }

            var masked = (_header[1] & 0x80) != 0;
            if (_headerBytes < 2 + extended + (masked ? 4 : 0))
            {
                continue;
            }

            _payloadLeft = length;
            _headerBytes = 0;
        }

        return data.Length;
    }

    /// <summary>
    /// Sends close 1009 (once, between whole frames), stops every later write, lingers for the client's reply
    /// (<see cref="DrainAsync"/>), and fails the read.
    /// </summary>
    private async Task RefuseAsync()
    {
        var first = false;
        await _write.WaitAsync();
        try
        {
            if (!_closeSent)
            {
                _closeSent = first = true;
                await _inner.WriteAsync(CloseFrame(_limit));
                await _inner.FlushAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The client is gone already; the read below still says why the connection ends.
            first = false;
        }
        finally
        {
            _write.Release();
        }

        if (first)
        {
            await DrainAsync();
        }

        throw new ClientFrameTooLargeException(_refusedLength, _limit);
    }

    /// <summary>Reads and discards until the client closes, is quiet for <see cref="QuietPeriod"/>, or <see cref="MaxLinger"/> is up.</summary>
    private async Task DrainAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var started = _time.GetTimestamp();
        try
        {
            while (_time.GetElapsedTime(started) < MaxLinger)
            {
                using var quiet = new CancellationTokenSource(QuietPeriod, _time);
                if (await _inner.ReadAsync(buffer, quiet.Token) == 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Quiet (or gone): nothing is left unread that would turn the close into a reset.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An unmasked server close frame: 1009 and a reason naming the limit (at most 123 bytes).</summary>
    internal static byte[] CloseFrame(long limit)
    {
        var reason = System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"message exceeds the limit of {limit} bytes"));
        var frame = new byte[4 + reason.Length];
        frame[0] = 0x88; // FIN + close
        frame[1] = (byte)(2 + reason.Length);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), CloseCodes.MessageTooBig);
        reason.CopyTo(frame, 4);
        return frame;
    }
}
