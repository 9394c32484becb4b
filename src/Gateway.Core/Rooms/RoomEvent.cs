namespace Gateway.Core.Rooms;

/// <summary>
/// One numbered room event, rendered once for every viewer: <see cref="Json"/> is the WebSocket text message,
/// <see cref="Sse"/> the same JSON framed as a Server-Sent Event with its id. Immutable; shared by every queue.
/// </summary>
public sealed class RoomEvent
{
    public RoomEvent(long sequence, RoomEventData data, byte[] json, byte[] sse)
    {
        Sequence = sequence;
        Data = data;
        Json = json;
        Sse = sse;
    }

    /// <summary>The room's event number: 1, 2, 3, ... in publication order; the SSE <c>id</c>.</summary>
    public long Sequence { get; }

    public RoomEventData Data { get; }

    public RoomEventKind Kind => Data.Kind;

    public byte[] Json { get; }

    public byte[] Sse { get; }

    /// <summary>Whether a room keeps it for late joiners and resume (everything but partials).</summary>
    public bool Retained => Data.Kind != RoomEventKind.Partial;
}
