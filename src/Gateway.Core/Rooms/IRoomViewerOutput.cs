namespace Gateway.Core.Rooms;

/// <summary>Where a viewer's messages go: a WebSocket (one text message each) or an SSE response (frames).</summary>
public interface IRoomViewerOutput
{
    /// <summary>True for Server-Sent Events: messages are written as <see cref="RoomEvent.Sse"/> frames.</summary>
    bool IsEventStream { get; }

    /// <summary>One message: a JSON object for a WebSocket, a whole SSE frame for an event stream.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Pushes what was written to the network (once the queue is empty, so bursts share a flush).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Keeps an idle connection open through proxies (an SSE comment line; nothing for a WebSocket).</summary>
    ValueTask HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>Ends the connection with a last error message (best effort; the token bounds it): a WebSocket closes with the code.</summary>
    Task FailAsync(ReadOnlyMemory<byte> error, int closeCode, string reason, CancellationToken cancellationToken);
}
