using Gateway.Load.Metrics;
using Gateway.Load.Report;
using Gateway.Load.Streams;

namespace Gateway.Load.Rooms;

/// <summary>What a rooms run measured: fan-out latency and loss, memory per viewer, fairness between rooms.</summary>
internal sealed record RoomReport
{
    public required int Rooms { get; init; }
    public required int SpeakersPerRoom { get; init; }
    public required int ViewersPerRoom { get; init; }
    public required int ViewersConnected { get; init; }

    /// <summary>Finals the speakers got back on their own sessions.</summary>
    public required int SpeakerFinals { get; init; }

    /// <summary>Speaker finals times viewers of their room: what the viewers should have seen.</summary>
    public required long ExpectedViewerFinals { get; init; }

    public required long LostViewerFinals { get; init; }
    public required long DuplicatedViewerFinals { get; init; }
    public required double DroppedViewers { get; init; }

    /// <summary>Viewer's arrival minus the speaker's own arrival of the same final (same process, same clock).</summary>
    public required Percentiles FinalToViewerMs { get; init; }

    public required double WorkingSetPerViewerKb { get; init; }
    public required double ManagedHeapPerViewerKb { get; init; }

    /// <summary>Per room: the median speech start → first partial of its speakers; the spread says whether a room starved.</summary>
    public required Percentiles RoomFirstPartialP50Ms { get; init; }

    public required Percentiles RoomFirstPartialP99Ms { get; init; }

    public required StreamReport Speakers { get; init; }

    public GatewayReport? Gateway { get; init; }
}
