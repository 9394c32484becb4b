using Gateway.Core.Rooms;

namespace Gateway.UnitTests.Rooms;

/// <summary>A viewer that keeps what it is given, up to a queue size (then refuses, as a full queue does).</summary>
internal sealed class RecordingViewer(int capacity = int.MaxValue) : IRoomViewer
{
    private readonly List<RoomEvent> _events = [];

    public RoomDropReason? DroppedFor { get; private set; }

    public List<RoomEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public bool TryDeliver(RoomEvent roomEvent)
    {
        lock (_events)
        {
            if (_events.Count >= capacity)
            {
                return false;
            }

            _events.Add(roomEvent);
            return true;
        }
    }

    public void Dropped(RoomDropReason reason) => DroppedFor = reason;
}
