using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Rooms;

/// <summary>
/// One viewer of a room: a bounded queue filled by the bus and a send loop that drains it into the viewer's
/// connection. First the room's welcome, then the history (finals so far, or the events after <c>Last-Event-ID</c>),
/// then <c>history_end</c>, then live events. A full queue drops the viewer (<c>slow_viewer</c>); nobody else waits.
/// </summary>
/// <remarks>Concurrency: the bus writes (under its room lock, never blocking), the send loop is the only reader.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "RunAsync creates the viewer and disposes its token source when the viewer ends.")]
public sealed partial class RoomViewer : IRoomViewer
{
    /// <summary>Queued by the heartbeat timer; never published.</summary>
    private static readonly RoomEvent Heartbeat = new(0, new RoomEventData(RoomEventKind.Partial, ""), [], []);

    private readonly Channel<RoomEvent> _queue;
    private readonly RoomRegistry _registry;
    private readonly Room _room;
    private readonly IRoomViewerOutput _output;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cancel;
    private readonly TimeSpan _grace;
    private volatile bool _slow;

    private RoomViewer(RoomRegistry registry, Room room, IRoomViewerOutput output, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _cancel = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _grace = registry.Options.CloseGrace;
        _room = room;
        _output = output;
        _logger = logger;
        _queue = Channel.CreateBounded<RoomEvent>(new BoundedChannelOptions(registry.Options.ViewerQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails: the drop decision is ours, not the channel's
        });
    }

    /// <summary>Follows a room the caller already seated the viewer in (<see cref="RoomRegistry.JoinViewerAsync"/>) until the client goes, the viewer falls behind or the room closes.</summary>
    public static async Task RunAsync(RoomRegistry registry, Room room, long? after, IRoomViewerOutput output, TimeProvider time, ILogger logger, CancellationToken aborted)
    {
        var viewer = new RoomViewer(registry, room, output, time, logger);
        using var cancel = viewer._cancel;
        using var link = aborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), cancel);
        try
        {
            var replay = await registry.Bus.SubscribeAsync(room.Name, after, viewer);
            using var heartbeat = output.IsEventStream
                ? time.CreateTimer(static s => ((RoomViewer)s!)._queue.Writer.TryWrite(Heartbeat), viewer, registry.Options.HeartbeatInterval, registry.Options.HeartbeatInterval)
                : null;
            await viewer.SendAsync(replay, after is not null, cancel.Token);
        }
        catch (RoomBusUnavailableException ex)
        {
            try
            {
                await output.FailAsync(viewer.Marker(RoomEventWriter.Error(RoomErrorCodes.RoomStateUnavailable, ex.Message)), RoomCloseCodes.RoomStateUnavailable, RoomErrorCodes.RoomStateUnavailable, cancel.Token);
            }
            catch (Exception gone) when (gone is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                // The viewer went away first.
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The viewer went away.
        }
        finally
        {
            registry.Bus.Unsubscribe(room.Name, viewer);
            registry.LeaveViewer(room);
        }
    }

    public bool TryDeliver(RoomEvent roomEvent) => _queue.Writer.TryWrite(roomEvent);

    public void Dropped(RoomDropReason reason)
    {
        _slow = reason == RoomDropReason.SlowViewer;
        _queue.Writer.TryComplete();
        try
        {
            // The last error and the close get a bounded time: a viewer that reads nothing is aborted after it.
            _cancel.CancelAfter(_grace);
        }
        catch (ObjectDisposedException)
        {
            // The viewer ended while the bus was dropping it (this runs on a publisher's thread: never throw there).
        }
    }

    private async Task SendAsync(RoomReplay replay, bool resumed, CancellationToken aborted)
    {
        await WriteMarkerAsync(RoomEventWriter.Welcome(_room.Snapshot(replay.LastSequence), replay.LastSequence, resumed), aborted);
        foreach (var roomEvent in replay.Events)
        {
            await WriteAsync(roomEvent, aborted);
        }

        await WriteMarkerAsync(RoomEventWriter.HistoryEnd(replay.LastSequence, replay.Events.Count), aborted);
        await _output.FlushAsync(aborted);

        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(aborted))
        {
            while (!_slow && reader.TryRead(out var roomEvent))
            {
                if (ReferenceEquals(roomEvent, Heartbeat))
                {
                    await _output.HeartbeatAsync(aborted);
                }
                else
                {
                    await WriteAsync(roomEvent, aborted);
                }
            }

            await _output.FlushAsync(aborted);
        }

        if (_slow)
        {
            Log.ViewerDropped(_logger, _room.Name, _registry.Options.ViewerQueueCapacity);
            var message = $"this viewer fell {_registry.Options.ViewerQueueCapacity} events behind and was dropped; reconnect (SSE: with Last-Event-ID) to resume";
            await _output.FailAsync(Marker(RoomEventWriter.Error(RoomErrorCodes.SlowViewer, message)), RoomCloseCodes.SlowViewer, RoomErrorCodes.SlowViewer, aborted);
        }
        else
        {
            await _output.FailAsync(Marker(RoomEventWriter.Error(RoomErrorCodes.RoomNotFound, $"room \"{_room.Name}\" closed")), RoomCloseCodes.RoomNotFound, "room closed", aborted);
        }
    }

    private ValueTask WriteAsync(RoomEvent roomEvent, CancellationToken aborted) =>
        _output.WriteAsync(_output.IsEventStream ? roomEvent.Sse : roomEvent.Json, aborted);

    private ValueTask WriteMarkerAsync(byte[] json, CancellationToken aborted) => _output.WriteAsync(Marker(json), aborted);

    private byte[] Marker(byte[] json) => _output.IsEventStream ? RoomEventWriter.Sse(null, json) : json;

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.ViewerDropped, LogLevel.Warning, "Room {Room}: a viewer fell {Capacity} events behind and was dropped")]
        public static partial void ViewerDropped(ILogger logger, string room, int capacity);
    }
}
