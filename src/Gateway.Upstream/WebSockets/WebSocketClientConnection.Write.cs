using System.Runtime.CompilerServices;

namespace Gateway.Upstream.WebSockets;

internal sealed partial class WebSocketClientConnection
{
    private readonly byte[] _sendBuffer;
    private readonly MaskGenerator _masks = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _sendCount;
    private bool _closeSent;
    private bool _faulted;

    /// <summary>
    /// Frames <paramref name="payload"/> (FIN set) into the send buffer, masking it while it is copied, and writes the
    /// buffer to the stream when <paramref name="flush"/> is true or the buffer is full. Frames sent with
    /// <c>flush: false</c> are coalesced with the next flushed one into a single write.
    /// </summary>
    /// <remarks>PERF: one pass copy+mask and no allocation when the socket write completes; see FrameSendBenchmarks.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken)
    {
        if (!_writeLock.Wait(0, CancellationToken.None))
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await AppendFrameLockedAsync(opcode, payload, cancellationToken).ConfigureAwait(false);
            if (flush)
            {
                await FlushLockedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes whatever is buffered.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_writeLock.Wait(0, CancellationToken.None))
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await FlushLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Frames without writing when the frame fits the free space of the send buffer; returns false (nothing written) otherwise.
    /// For callers that coalesce several small frames synchronously before one <see cref="FlushAsync"/>.
    /// </summary>
    public bool TryAppend(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        if (!_writeLock.Wait(0, CancellationToken.None))
        {
            return false;
        }

        try
        {
            if (_closeSent || WebSocketFrame.ClientHeaderLength(payload.Length) + payload.Length > _sendBuffer.Length - _sendCount)
            {
                return false;
            }

            AppendWhole(opcode, payload);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void AppendWhole(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        var mask = _masks.Next();
        var header = WebSocketFrame.WriteClientHeader(_sendBuffer.AsSpan(_sendCount), opcode, fin: true, payload.Length, mask);
        _sendCount += header;
        WebSocketMask.CopyMasked(payload, _sendBuffer.AsSpan(_sendCount), mask, 0);
        _sendCount += payload.Length;
    }

    private async ValueTask AppendFrameLockedAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (_closeSent)
        {
            throw new InvalidOperationException("The close frame was already sent.");
        }

        var headerLength = WebSocketFrame.ClientHeaderLength(payload.Length);
        if (headerLength + payload.Length <= _sendBuffer.Length - _sendCount)
        {
            AppendWhole(opcode, payload.Span);
            return;
        }

        // Too big for the free space: header first, then the payload in buffer-sized pieces, the mask phase carried along.
        if (_sendBuffer.Length - _sendCount < WebSocketFrame.MaxClientHeaderLength)
        {
            await FlushLockedAsync(cancellationToken).ConfigureAwait(false);
        }

        var mask = _masks.Next();
        _sendCount += WebSocketFrame.WriteClientHeader(_sendBuffer.AsSpan(_sendCount), opcode, fin: true, payload.Length, mask);
        var offset = 0;
        while (offset < payload.Length)
        {
            if (_sendCount == _sendBuffer.Length)
            {
                await FlushLockedAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = Math.Min(payload.Length - offset, _sendBuffer.Length - _sendCount);
            WebSocketMask.CopyMasked(payload.Span.Slice(offset, n), _sendBuffer.AsSpan(_sendCount), mask, offset & 3);
            _sendCount += n;
            offset += n;
        }
    }

    private async ValueTask FlushLockedAsync(CancellationToken cancellationToken)
    {
        if (_sendCount == 0)
        {
            return;
        }

        var count = _sendCount;
        _sendCount = 0;
        try
        {
            await _stream.WriteAsync(_sendBuffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }
}
