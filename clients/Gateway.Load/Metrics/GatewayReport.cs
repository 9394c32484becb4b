namespace Gateway.Load.Metrics;

/// <summary>What the gateway's own metrics said about a run (first scrape to last, peaks from periodic scrapes).</summary>
internal sealed record GatewayReport
{
    public double WallSeconds { get; init; }
    public double CpuPercentOfMachine { get; init; }
    public double CpuCoresUsed { get; init; }
    public double WorkingSetStartMb { get; init; }
    public double WorkingSetPeakMb { get; init; }
    public double ManagedHeapStartMb { get; init; }
    public double ManagedHeapPeakMb { get; init; }
    public double UpstreamConnects { get; init; }
    public double UpstreamReuse { get; init; }
    public double UpstreamDiscards { get; init; }
    public double UpstreamFailed { get; init; }
    /// <summary>Peak of <c>gateway_upstream_pool_in_flight</c>: utterances holding a connection or waiting for one.</summary>
    public double PeakUpstreamInFlight { get; init; }

    public double PeakUpstreamIdle { get; init; }

    /// <summary>Mean time one utterance held its upstream connection (<c>gateway_upstream_pool_lease_duration</c>).</summary>
    public double? LeaseHoldMeanMs { get; init; }

    /// <summary>The lease duration's p99 (bucket bound).</summary>
    public double? LeaseHoldP99Ms { get; init; }

    /// <summary>Connection-seconds held per second of the run: the mean number of connections busy.</summary>
    public double? MeanConnectionsHeld { get; init; }

    public double PeakActiveSessions { get; init; }
    public double Segments { get; init; }
    public double Replays { get; init; }
    public double SessionErrors { get; init; }
    public double VadWindowsLost { get; init; }

    /// <summary>Room viewers dropped for a full queue (<c>gateway_rooms_dropped_viewers_total</c>).</summary>
    public double RoomDroppedViewers { get; init; }

    public double RoomFanOutMessages { get; init; }

    /// <summary>The gateway's own speech end → final queued for viewers, p99 (bucket bound).</summary>
    public double? RoomCaptionLatencyP99Ms { get; init; }
    public double? FinalLatencyP50Ms { get; init; }
    public double? FinalLatencyP99Ms { get; init; }
    public double? LeaseWaitP99Ms { get; init; }
    public double? LeaseWaitMeanMs { get; init; }
    public double? VadTickP99Ms { get; init; }
    public double? VadTickMeanMs { get; init; }
    public double? VadBatchMean { get; init; }

    /// <summary>Audio received minus audio classified: how far the VAD runs behind.</summary>
    public double? VadLagP99Ms { get; init; }

    public double? VadLagMeanMs { get; init; }
}
