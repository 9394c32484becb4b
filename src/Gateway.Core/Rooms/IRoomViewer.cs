namespace Gateway.Core.Rooms;

/// <summary>A subscriber to a room's live events (a WebSocket or SSE viewer, or a test).</summary>
public interface IRoomViewer
{
    /// <summary>
    /// Queues one event without blocking. False when the viewer's queue is full: the bus then unsubscribes it and
    /// calls <see cref="Dropped"/>, so a slow viewer never slows the speakers or the other viewers.
    /// </summary>
    bool TryDeliver(RoomEvent roomEvent);

    /// <summary>The bus gave up on this viewer (queue full, or the room went away).</summary>
    void Dropped(RoomDropReason reason);
}

public enum RoomDropReason
{
    SlowViewer,
    RoomClosed,
}
