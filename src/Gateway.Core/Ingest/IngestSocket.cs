using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Gateway.Core.Ingest;

/// <summary>
/// The in-process transport between an ingest and its session: the session reads it as if a client sent binary
/// audio messages (ffmpeg's PCM, silence during a gap) and text control messages (<c>start</c>, <c>close</c>);
/// what the session sends goes nowhere, because <see cref="IngestProtocol"/> takes the events before rendering.
/// </summary>
/// <remarks>
/// This is the seam that lets a server-side source run through <see cref="Sessions.SessionHost"/> unchanged
/// (admission, ring, VAD, segments, upstream, room): the session only ever calls the members below.
/// Concurrency: one writer (the ingest's source loop), one reader (the session's receive loop). A bounded queue of
/// pooled chunks: a session that stops reading (its ring is full) stops the pump, and ffmpeg with it.
/// </remarks>
internal sealed class IngestSocket : WebSocket
{
    private const int QueuedChunks = 32;
    private readonly Channel<Chunk> _input = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(QueuedChunks) { SingleWriter = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Chunk _current;
    private int _offset;
    private volatile WebSocketState _state = WebSocketState.Open;

    public override WebSocketCloseStatus? CloseStatus => _closed.Task.IsCompleted ? WebSocketCloseStatus.NormalClosure : null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Completes when the session closed its side (it is done with the ingest's audio).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Queues audio for the session (copied into a pooled chunk); false once the session is gone.</summary>
    public async ValueTask<bool> WriteAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        if (_closed.Task.IsCompleted)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(pcm.Length);
        pcm.Span.CopyTo(buffer);
        try
        {
            await _input.Writer.WriteAsync(new Chunk(buffer, pcm.Length, Text: false), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>Queues a control message (<c>{"type":"close"}</c>); false once the session is gone.</summary>
    public bool TryWriteText(string json, bool last)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var written = _input.Writer.TryWrite(new Chunk(bytes, bytes.Length, Text: true));
        if (last)
        {
            _input.Writer.TryComplete();
        }

        return written;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_current.Buffer is null)
        {
            if (!await _input.Reader.WaitToReadAsync(cancellationToken) || !_input.Reader.TryRead(out _current))
            {
                // Nothing more will come: the session sees the peer's close once it has closed its own side.
                await _closed.Task.WaitAsync(cancellationToken);
                return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
            }

            _offset = 0;
        }

        var type = _current.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
        if (buffer.IsEmpty)
        {
            return new ValueWebSocketReceiveResult(0, type, false); // the session's zero-byte read: data is waiting
        }

        var count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Buffer.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        var end = _offset == _current.Length;
        if (end)
        {
            if (!_current.Text)
            {
                ArrayPool<byte>.Shared.Return(_current.Buffer);
            }

            _current = default;
        }

        // Audio chunks are messages of their own; a text message is delivered whole or continued.
        return new ValueWebSocketReceiveResult(count, type, end);
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        Close(WebSocketState.Closed);
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => Close(WebSocketState.Aborted);

    public override void Dispose() => Close(WebSocketState.Closed);

    private void Close(WebSocketState state)
    {
        if (_closed.TrySetResult())
        {
            _state = state;
            _input.Writer.TryComplete();
            while (_input.Reader.TryRead(out var chunk))
            {
                if (!chunk.Text)
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, bool Text);
}
