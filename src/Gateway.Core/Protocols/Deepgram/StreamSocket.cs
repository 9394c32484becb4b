using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// One stream of a <see cref="DeepgramStreams"/> connection as a WebSocket, so an unchanged <c>Session</c> runs on
/// it: receives come from the splitter's queue (pooled buffers, bounded, so a slow stream slows the reader of the
/// real socket instead of growing memory), sends go to the real socket one whole message at a time, and a close
/// is the splitter's to perform once every stream has closed.
/// </summary>
/// <remarks>Concurrency: one receiver (the session's receive loop), one sender (its send loop), as a real WebSocket allows.</remarks>
internal sealed class StreamSocket : WebSocket
{
    private const int QueuedMessages = 16;

    private readonly DeepgramStreams _owner;
    private readonly Channel<StreamFrame> _inbox = Channel.CreateBounded<StreamFrame>(new BoundedChannelOptions(QueuedMessages)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private StreamFrame? _current;
    private int _offset;
    private volatile WebSocketState _state = WebSocketState.Open;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;

    public StreamSocket(DeepgramStreams owner, int index)
    {
        _owner = owner;
        Index = index;
    }

    public int Index { get; }

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _closeDescription;

    public override WebSocketState State => _state;

    public override string? SubProtocol => _owner.SubProtocol;

    /// <summary>Queues a message for the session (waits when its queue is full). The buffer is rented; this socket returns it.</summary>
    public async ValueTask DeliverAsync(StreamFrame frame, CancellationToken cancellationToken)
    {
        while (await _inbox.Writer.WaitToWriteAsync(cancellationToken))
        {
            if (_inbox.Writer.TryWrite(frame))
            {
                return;
            }
        }

        frame.Return(); // the stream has ended: nothing reads it any more
    }

    /// <summary>The client's close (or the connection's end): after what is queued, receives report a close.</summary>
    public void Complete() => _inbox.Writer.TryComplete();

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            if (!await _inbox.Reader.WaitToReadAsync(cancellationToken) || !_inbox.Reader.TryRead(out var next))
            {
                OnCloseReceived();
                return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
            }

            _current = next;
            _offset = 0;
        }

        var frame = _current.Value;
        var remaining = frame.Length - _offset;
        if (buffer.IsEmpty && remaining > 0)
        {
            return new ValueWebSocketReceiveResult(0, frame.Type, false); // a peek: the message stays
        }

        var count = Math.Min(buffer.Length, remaining);
        frame.Buffer.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        var end = _offset == frame.Length;
        if (end)
        {
            frame.Return();
            _current = null;
        }

        return new ValueWebSocketReceiveResult(count, frame.Type, end);
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage, _closeStatus, _closeDescription);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (!endOfMessage)
        {
            throw new NotSupportedException("a stream sends whole messages");
        }

        return _owner.SendAsync(buffer, messageType, cancellationToken);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = _state == WebSocketState.CloseReceived ? WebSocketState.Closed : WebSocketState.CloseSent;
        return _owner.StreamClosedAsync(this, closeStatus, statusDescription ?? "");
    }

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await CloseOutputAsync(closeStatus, statusDescription, cancellationToken);
        while (_state != WebSocketState.Closed)
        {
            var result = await ReceiveAsync(new byte[1024], cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
        }
    }

    public override void Abort()
    {
        _state = WebSocketState.Aborted;
        _owner.Abort();
    }

    public override void Dispose()
    {
        _current?.Return();
        _current = null;
        while (_inbox.Reader.TryRead(out var frame))
        {
            frame.Return();
        }
    }

    private void OnCloseReceived()
    {
        _closeStatus ??= WebSocketCloseStatus.NormalClosure;
        _closeDescription ??= "";
        _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
    }
}
