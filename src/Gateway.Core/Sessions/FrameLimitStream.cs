using System.Runtime.CompilerServices;

namespace Gateway.Core.Sessions;

/// <summary>
/// The server side of an upgraded WebSocket connection, watching the client's frame headers as their bytes pass
/// through: a header that declares a payload beyond the message limit is refused at once with close 1009, before
/// the payload is waited for or buffered. Without it the framework's WebSocket reads a declared 2 GiB frame
/// patiently and the session only learns of the size once the client has actually sent a megabyte.
/// </summary>
/// <remarks>
/// The headers are followed by <see cref="ClientFrameHeaderParser"/>; the refusal's close handshake (close 1009,
/// the linger for the client's reply, the close handed up, writes stopped) is <see cref="FrameRefusal"/>'s. This
/// type moves the bytes: it holds back an incomplete header so the WebSocket above gets headers whole.
/// Threading: one reader (the WebSocket's receive) and one writer at a time (the WebSocket's send lock).
/// PERF: per read, O(header bytes) work and no allocation (pooled async builders; a unit test counts the bytes,
/// FrameLimitStreamBenchmarks measures it); payload bytes are skipped by count.
/// </remarks>
public sealed class FrameLimitStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly FrameRefusal _refusal;
    private ClientFrameHeaderParser _headers; // a mutable struct, used in place
    private int _held; // of the header in progress, bytes not yet handed up (they go first in the next read)

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
        _refusal = new FrameRefusal(inner, limit, time, refused);
    }

    /// <summary>True once a frame header over the limit was refused (the close frame is sent or being sent).</summary>
    public bool Refused => _refusal.Refused;

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

        await _refusal.CompleteAsync();
        return _refusal.HandUpClose(buffer.Span);
    }

    /// <summary>
    /// Puts the incomplete header held back from the last read (the bytes of it that read brought) at the start of
    /// <paramref name="buffer"/>: a header is handed up whole, so a refusal never leaves the WebSocket above with half
    /// a frame header before the close.
    /// </summary>
    private int PlaceHeld(Span<byte> buffer)
    {
        var held = _held;
        _headers.CopyPartialHeaderEnd(held, buffer);
        return held;
    }

    /// <summary>How many of the <paramref name="held"/> + <paramref name="read"/> bytes in the buffer may go up now.</summary>
    private int Account(Span<byte> buffer, int held, int read)
    {
        var total = held + read;
        var scan = _headers.Follow(buffer[..total], held, _limit);
        if (scan.Oversized)
        {
            _held = 0;
            _refusal.Begin(scan.Declared, scan.MaskBytes, buffer[scan.AfterLength..total]);
            return scan.Deliverable;
        }

        // Hold back an unfinished header (when the reader's buffer can take a whole one next time).
        _held = buffer.Length >= ClientFrameHeaderParser.MaxHeaderBytes ? Math.Min(_headers.PartialHeaderBytes, total) : 0;
        return total - _held;
    }

    /// <remarks>Through the refusal, which drops every write once its close 1009 was sent.</remarks>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _refusal.WriteAsync(buffer, cancellationToken);

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
            _refusal.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        _refusal.Dispose();
        await base.DisposeAsync();
    }
}
