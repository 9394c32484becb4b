using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Gateway.Core.Sessions;

/// <summary>
/// The close handshake of a <see cref="FrameLimitStream"/> that refused a frame header: close 1009 to the client,
/// a linger for the client's close reply, then a close frame handed to the WebSocket above as if the client had
/// sent it. Every write of the connection passes through here, so the server's close goes in between whole frames
/// and nothing follows it.
/// </summary>
/// <remarks>
/// The refusal, in order: close 1009 goes to the client and every later write is dropped; the refusing read waits
/// for the client's close reply (a close frame right after the refused header: the client abandoned its frame),
/// for end of stream, for <see cref="QuietPeriod"/> of silence or at most <see cref="MaxLinger"/>, discarding what
/// arrives; then it hands the WebSocket above a close frame (1009, same reason). So the WebSocket and its handler
/// finish the close handshake the ordinary way and return, and Kestrel ends TCP with a FIN. Throwing instead
/// faulted the WebSocket; its Abort aborts the HTTP context, and Kestrel (since .NET 9) resets aborted connections
/// (RST) unless the process-wide switch <c>Microsoft.AspNetCore.Server.Kestrel.FinOnError</c> is on. Lingering until
/// the reply leaves no client bytes unread when the socket closes, which would also be a RST.
/// Threading: one reader (the WebSocket's receive) and one writer at a time (the WebSocket's send lock); the close
/// frame goes in between whole frames under <see cref="_write"/>, because the WebSocket writes every frame, header
/// and payload, in one call.
/// </remarks>
internal sealed class FrameRefusal : IDisposable
{
    /// <summary>How long the client may stay silent after the close frame before the connection is let go.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest the refused connection is held open, however much the client keeps sending.</summary>
    public static readonly TimeSpan MaxLinger = TimeSpan.FromSeconds(2);

    private readonly Stream _inner;
    private readonly long _limit;
    private readonly TimeProvider _time;
    private readonly Action<long>? _refused;
    private readonly SemaphoreSlim _write = new(1, 1);
    private bool _closeSent;
    private long _declared = -1; // the declared length of the refused frame, once one was seen
    private Linger _linger;
    private long _skip; // bytes to discard before the next byte the linger looks at
    private int _replyHeaderBytes;
    private byte[]? _closeForSocket; // the close frame handed up once the linger is over
    private int _closeDelivered;

    /// <param name="inner">The upgraded connection.</param>
    /// <param name="limit">The largest payload a client frame may declare (named in the close reason).</param>
    /// <param name="time">Clock for the linger.</param>
    /// <param name="refused">Called once, with the declared length, when the refusal is sent (the metric and log line).</param>
    public FrameRefusal(Stream inner, long limit, TimeProvider time, Action<long>? refused)
    {
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
    public bool Refused => Volatile.Read(ref _declared) >= 0;

    /// <summary>Writes <paramref name="buffer"/> to the client, unless the refusal's close was sent.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
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

    /// <summary>
    /// Marks the refusal of a header that declared <paramref name="declared"/> bytes, and looks for the client's close
    /// reply in <paramref name="afterLength"/>, the bytes already read after that header's length (its
    /// <paramref name="maskBytes"/> first).
    /// </summary>
    public void Begin(long declared, int maskBytes, ReadOnlySpan<byte> afterLength)
    {
        _skip = maskBytes;
        Volatile.Write(ref _declared, declared);
        Watch(afterLength);
    }

    /// <summary>
    /// Sends close 1009 (once, between whole frames), stops every later write, and lingers for the client's reply
    /// (<see cref="LingerAsync"/>). Returns at once when it has done so before.
    /// </summary>
    public async Task CompleteAsync()
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

        _refused?.Invoke(_declared);
        if (!gone)
        {
            await LingerAsync();
        }

        _closeForSocket = CloseFrame(_limit, masked: true);
    }

    /// <summary>Copies the next part of the close frame handed to the WebSocket; 0 once all of it was.</summary>
    public int HandUpClose(Span<byte> buffer)
    {
        var frame = _closeForSocket!;
        var n = Math.Min(buffer.Length, frame.Length - _closeDelivered);
        frame.AsSpan(_closeDelivered, n).CopyTo(buffer);
        _closeDelivered += n;
        return n;
    }

    public void Dispose() => _write.Dispose();

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

                Watch(buffer.AsSpan(0, read));
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
    private void Watch(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && _linger is Linger.ReplyHeader or Linger.ReplyBody)
        {
            if (_skip > 0)
            {
                var skip = (int)Math.Min(_skip, data.Length - i);
                _skip -= skip;
                i += skip;
                if (_skip == 0 && _linger == Linger.ReplyBody)
                {
                    _linger = Linger.Replied;
                }

                continue;
            }

            var b = data[i++];
            if (++_replyHeaderBytes == 1)
            {
                if (b != 0x88) // FIN + close
                {
                    _linger = Linger.Unrecognised;
                }
            }
            else
            {
                // Byte 1: a close reply is masked and its payload (code + reason) fits the 7-bit length.
                var len7 = b & 0x7F;
                _linger = (b & 0x80) != 0 && len7 <= 125 ? Linger.ReplyBody : Linger.Unrecognised;
                _skip = 4 + len7;
            }
        }
    }
}
