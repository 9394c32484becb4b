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
/// builders; a unit test counts the bytes, FrameLimitStreamBenchmarks measures it); payload bytes are skipped by count.
/// <para>
/// The refusal, in order: close 1009 goes to the client and every later write is dropped; the refusing read waits
/// for the client's close reply (a close frame right after the refused header: the client abandoned its frame),
/// for end of stream, for <see cref="QuietPeriod"/> of silence or at most <see cref="MaxLinger"/>, discarding what
/// arrives; then it hands the WebSocket above a close frame (1009, same reason) as if the client had sent it. So
/// the WebSocket and its handler finish the close handshake the ordinary way and return, and Kestrel ends TCP with a
/// FIN. Throwing instead faulted the WebSocket; its Abort aborts the HTTP context, and Kestrel (since .NET 9) resets
/// aborted connections (RST) unless the process-wide switch <c>Microsoft.AspNetCore.Server.Kestrel.FinOnError</c>
/// is on. Lingering until the reply leaves no client bytes unread when the socket closes, which would also be a RST.
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
    private readonly Action<long>? _refused;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly byte[] _header = new byte[MaxHeaderBytes];
    private int _headerBytes;
    private int _held; // of the header in progress, bytes not yet handed up (they go first in the next read)
    private long _payloadLeft;
    private long _refusedLength = -1; // the declared length of the refused frame, once one was seen
    private bool _closeSent;
    private Linger _linger;
    private long _lingerSkip; // bytes to discard before the next byte the linger looks at
    private byte[]? _closeForSocket; // the close frame handed up once the linger is over
    private int _closeDelivered;

    /// <param name="inner">The upgraded connection.</param>
    /// <param name="limit">The largest payload a client frame may declare.</param>
    /// <param name="time">Clock for the linger after a refusal.</param>
    /// <param name="refused">Called once, with the declared length, when a header is refused (the metric and log line).</param>
    public FrameLimitStream(Stream inner, long limit, TimeProvider time, Action<long>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _inner = inner;
        _limit = limit;
        _time = time;
        _refused = refused;
    }

    /// <summary>What the linger after a refusal has seen of the client's bytes.</summary>
    private enum Linger
    {
        /// <summary>Waiting for the first byte of a frame after the refused header (and its mask).</summary>
        ReplyHeader,

        /// <summary>A close frame header was read; its mask and payload are being skipped.</summary>
        ReplyBody,

        /// <summary>The client's close reply is complete: nothing is left to wait for.</summary>
        Replied,

        /// <summary>Something other than a close reply (the refused payload, say): discarded until quiet.</summary>
        Unrecognised,
    }

    /// <summary>True once a frame header over the limit was refused (the close frame is sent or being sent).</summary>
    public bool Refused => Volatile.Read(ref _refusedLength) >= 0;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <remarks>
    /// PERF: a read the inner stream completes at once that delivers bytes returns without an async state machine
    /// (nothing allocated, even in a Debug build); the rest goes through <see cref="ReadSlowAsync"/>.
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return Refused ? ReadSlowAsync(buffer, cancellationToken) : _inner.ReadAsync(buffer, cancellationToken);
        }

        if (Refused)
        {
            return ReadSlowAsync(buffer, cancellationToken);
        }

        var held = PlaceHeld(buffer.Span);
        var pending = _inner.ReadAsync(buffer[held..], cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ReadSlowAsync(buffer, cancellationToken, pending, held);
        }

        var read = pending.Result;
        var deliver = read == 0 ? 0 : Account(buffer.Span, held, read);
        return read == 0 || deliver > 0 ? new ValueTask<int>(deliver) : ReadSlowAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// The read that waits: for the inner stream, for more of a header held back, or through a refusal (which ends
    /// with the close frame handed up, then end of stream).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadSlowAsync(Memory<byte> buffer, CancellationToken cancellationToken, ValueTask<int> pending = default, int held = -1)
    {
        while (!Refused)
        {
            if (held < 0)
            {
                held = PlaceHeld(buffer.Span);
                pending = _inner.ReadAsync(buffer[held..], cancellationToken);
            }

            var read = await pending;
            if (read == 0 || buffer.IsEmpty)
            {
                return read;
            }

            var deliver = Account(buffer.Span, held, read);
            if (deliver > 0)
            {
                return deliver;
            }

            held = -1; // all of it was a header still incomplete (held back) or the refused one: read on
        }

        await RefuseAsync();
        return HandUpClose(buffer.Span);
    }

    /// <summary>
    /// Puts the incomplete header held back from the last read at the start of <paramref name="buffer"/>: a header
    /// is handed up whole, so a refusal never leaves the WebSocket above with half a frame header before the close.
    /// </summary>
    private int PlaceHeld(Span<byte> buffer)
    {
        var held = _held;
        _header.AsSpan(0, held).CopyTo(buffer);
        return held;
    }

    /// <summary>How many of the <paramref name="held"/> + <paramref name="read"/> bytes in the buffer may go up now.</summary>
    private int Account(Span<byte> buffer, int held, int read)
    {
        var total = held + read;
        var deliver = Inspect(buffer[..total], held);
        if (Refused)
        {
            _held = 0;
            return deliver;
        }

        // Hold back an unfinished header (when the reader's buffer can take a whole one next time).
        _held = buffer.Length >= MaxHeaderBytes ? Math.Min(_headerBytes, total) : 0;
        return total - _held;
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
    private int Inspect(ReadOnlySpan<byte> data, int from)
    {
        var i = from; // data[..from] is the held-back start of the header in progress
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
            var masked = (_header[1] & 0x80) != 0;
            if (length > _limit)
            {
                // The bytes after the length (the mask, then perhaps the client's close reply) are the linger's.
                _lingerSkip = 2 + extended + (masked ? 4 : 0) - _headerBytes;
                _headerBytes = 0;
                Volatile.Write(ref _refusedLength, length);
                LingerOver(data[i..]);
                return headerStart;
            }

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
    /// Sends close 1009 (once, between whole frames), stops every later write, and lingers for the client's reply
    /// (<see cref="LingerAsync"/>). Returns at once when it has done so before.
    /// </summary>
    private async Task RefuseAsync()
    {
        if (_closeForSocket is not null)
        {
            return;
        }

        var gone = false;
        await _write.WaitAsync();
        try
        {
            _closeSent = true;
            await _inner.WriteAsync(CloseFrame(_limit, masked: false));
            await _inner.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            gone = true; // the client is gone already; the WebSocket above still gets its close
        }
        finally
        {
            _write.Release();
        }

        _refused?.Invoke(_refusedLength);
        if (!gone)
        {
            await LingerAsync();
        }

        _closeForSocket = CloseFrame(_limit, masked: true);
    }

    /// <summary>
    /// Reads and discards until the client's close reply is in, the client closes, is quiet for
    /// <see cref="QuietPeriod"/>, or <see cref="MaxLinger"/> is up.
    /// </summary>
    private async Task LingerAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var started = _time.GetTimestamp();
        try
        {
            while (_linger != Linger.Replied && _time.GetElapsedTime(started) < MaxLinger)
            {
                using var quiet = new CancellationTokenSource(QuietPeriod, _time);
                var read = await _inner.ReadAsync(buffer, quiet.Token);
                if (read == 0)
                {
                    return;
                }

                LingerOver(buffer.AsSpan(0, read));
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

    /// <summary>Looks for the client's close reply in bytes that arrived after the refused frame's length.</summary>
    private void LingerOver(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && _linger is Linger.ReplyHeader or Linger.ReplyBody)
        {
            if (_lingerSkip > 0)
            {
                var skip = (int)Math.Min(_lingerSkip, data.Length - i);
                _lingerSkip -= skip;
                i += skip;
                if (_lingerSkip == 0 && _linger == Linger.ReplyBody)
                {
                    _linger = Linger.Replied;
                }

                continue;
            }

            _header[_headerBytes++] = data[i++];
            if (_headerBytes == 1 && _header[0] != 0x88)
            {
                _linger = Linger.Unrecognised;
            }
            else if (_headerBytes == 2)
            {
                var len7 = _header[1] & 0x7F;
                _linger = (_header[1] & 0x80) != 0 && len7 <= 125 ? Linger.ReplyBody : Linger.Unrecognised;
                _lingerSkip = 4 + len7;
            }
        }
    }

    /// <summary>Copies the next part of the close frame handed to the WebSocket; 0 once all of it was.</summary>
    private int HandUpClose(Span<byte> buffer)
    {
        var frame = _closeForSocket!;
        var n = Math.Min(buffer.Length, frame.Length - _closeDelivered);
        frame.AsSpan(_closeDelivered, n).CopyTo(buffer);
        _closeDelivered += n;
        return n;
    }

    /// <summary>
    /// A close frame with 1009 and a reason naming the limit (at most 123 bytes): unmasked as the server sends it,
    /// masked (with a zero mask) as the WebSocket above expects a client's.
    /// </summary>
    internal static byte[] CloseFrame(long limit, bool masked)
    {
        var reason = System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"message exceeds the limit of {limit} bytes"));
        var head = masked ? 6 : 2;
        var frame = new byte[head + 2 + reason.Length];
        frame[0] = 0x88; // FIN + close
        frame[1] = (byte)((masked ? 0x80 : 0) | (2 + reason.Length));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(head), CloseCodes.MessageTooBig);
        reason.CopyTo(frame, head + 2);
        return frame;
    }
}
