using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Rooms;

/// <summary>
/// The in-process <see cref="IRoomBus"/>: per room, one lock around numbering, rendering, retention and fan-out.
/// PERF: an event is rendered once and the same bytes go into every viewer's queue (<see cref="RoomFanOut"/>), so a
/// publish allocates nothing per viewer (RoomFanOutBenchmarks).
/// </summary>
public sealed class LocalRoomBus : IRoomBus
{
    private readonly ConcurrentDictionary<string, Stream> _rooms = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly RoomMetrics? _metrics;

    public LocalRoomBus(IOptions<RoomOptions> options, RoomMetrics? metrics = null)
    {
        _capacity = options.Value.HistoryCapacity;
        _metrics = metrics;
    }

    public Task<bool> TryClaimSpeakerAsync(string room, string speaker) => Task.FromResult(true); // one gateway: Room keeps its names unique

    public void ReleaseSpeaker(string room, string speaker)
    {
    }

    public void Publish(string room, RoomEventData data)
    {
        var stream = _rooms.GetOrAdd(room, static (_, capacity) => new Stream(capacity), _capacity);
        int delivered;
        List<IRoomViewer>? dropped;
        lock (stream)
        {
            var published = RoomEventWriter.Render(++stream.Sequence, data);
            if (published.Retained)
            {
                stream.Retain(published);
            }

            dropped = RoomFanOut.Deliver(published, ref stream.Viewers, out delivered);
        }

        RoomFanOut.Finish(dropped, delivered, _metrics);
    }

    public Task<RoomReplay> SubscribeAsync(string room, long? after, IRoomViewer viewer)
    {
        try
        {
            return Task.FromResult(Subscribe(room, after, viewer));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Task.FromException<RoomReplay>(ex);
        }
    }

    public Task<IReadOnlyList<RoomEvent>> FinalsAsync(string room) => Task.FromResult<IReadOnlyList<RoomEvent>>(Finals(room));

    public Task<long> LastSequenceAsync(string room) => Task.FromResult(LastSequence(room));

    private RoomReplay Subscribe(string room, long? after, IRoomViewer viewer)
    {
        var stream = _rooms.GetOrAdd(room, static (_, capacity) => new Stream(capacity), _capacity);
        lock (stream)
        {
            if (after > stream.Sequence)
            {
                throw new ArgumentOutOfRangeException(nameof(after), after, $"the room's last event is {stream.Sequence}");
            }

            var replay = after is { } n
                ? stream.History.Where(e => e.Sequence > n).ToList()
                : SortedFinals(stream);
            stream.Viewers = [.. stream.Viewers, viewer];
            return new RoomReplay(replay, stream.Sequence);
        }
    }

    public void Unsubscribe(string room, IRoomViewer viewer)
    {
        if (_rooms.TryGetValue(room, out var stream))
        {
            lock (stream)
            {
                stream.Viewers = [.. stream.Viewers.Where(v => !ReferenceEquals(v, viewer))];
            }
        }
    }

    private List<RoomEvent> Finals(string room)
    {
        if (!_rooms.TryGetValue(room, out var stream))
        {
            return [];
        }

        lock (stream)
        {
            return SortedFinals(stream);
        }
    }

    private long LastSequence(string room)
    {
        if (!_rooms.TryGetValue(room, out var stream))
        {
            return 0;
        }

        lock (stream)
        {
            return stream.Sequence;
        }
    }

    public void Remove(string room)
    {
        if (!_rooms.TryRemove(room, out var stream))
        {
            return;
        }

        IRoomViewer[] viewers;
        lock (stream)
        {
            viewers = stream.Viewers;
            stream.Viewers = [];
        }

        foreach (var viewer in viewers)
        {
            viewer.Dropped(RoomDropReason.RoomClosed);
        }
    }

    private static List<RoomEvent> SortedFinals(Stream stream) => RoomFanOut.SortedFinals(stream.History);

    /// <summary>One room's numbering, history and viewers; guarded by its own lock.</summary>
    private sealed class Stream(int capacity)
    {
        public long Sequence;
        public readonly Queue<RoomEvent> History = new();
        public IRoomViewer[] Viewers = [];

        public void Retain(RoomEvent roomEvent)
        {
            if (History.Count == capacity)
            {
                History.Dequeue();
            }

            History.Enqueue(roomEvent);
        }
    }
}
