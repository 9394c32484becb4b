namespace Gateway.Core.Rooms;

/// <summary>
/// The one fan-out rule of every <see cref="IRoomBus"/>: the same rendered event into each viewer's queue, a full
/// queue drops only that viewer. <see cref="Deliver"/> runs under the caller's room lock; <see cref="Finish"/> after it.
/// PERF: nothing is allocated per viewer; the viewer list is a copy-on-write array replaced only when one is dropped.
/// </summary>
internal static class RoomFanOut
{
    /// <summary>Queues <paramref name="roomEvent"/> for every viewer; returns the viewers to drop (null when none), already removed.</summary>
    public static List<IRoomViewer>? Deliver(RoomEvent roomEvent, ref IRoomViewer[] viewers, out int delivered)
    {
        List<IRoomViewer>? dropped = null;
        var current = viewers;
        foreach (var viewer in current)
        {
            if (!viewer.TryDeliver(roomEvent))
            {
                (dropped ??= []).Add(viewer);
            }
        }

        delivered = current.Length - (dropped?.Count ?? 0);
        if (dropped is not null)
        {
            viewers = [.. current.Except(dropped)];
        }

        return dropped;
    }

    /// <summary>Counts the delivery and tells each dropped viewer (outside the room lock).</summary>
    public static void Finish(List<IRoomViewer>? dropped, int delivered, RoomMetrics? metrics)
    {
        metrics?.FannedOut(delivered);
        if (dropped is null)
        {
            return;
        }

        foreach (var viewer in dropped)
        {
            metrics?.ViewerDropped();
            viewer.Dropped(RoomDropReason.SlowViewer);
        }
    }

    /// <summary>The transcript order: speech start, then publication (finals complete in any order).</summary>
    public static List<RoomEvent> SortedFinals(IEnumerable<RoomEvent> history)
    {
        var finals = history.Where(e => e.Kind == RoomEventKind.Final).ToList();
        finals.Sort(static (a, b) => a.Data.StartMs != b.Data.StartMs ? a.Data.StartMs.CompareTo(b.Data.StartMs) : a.Sequence.CompareTo(b.Sequence));
        return finals;
    }
}
