namespace Gateway.Load.Idle;

/// <summary>Memory the gateway holds per idle session: after opening them minus before.</summary>
internal sealed record IdleReport
{
    public required int Requested { get; init; }
    public required int Opened { get; init; }
    public required int Refused { get; init; }
    public required int Failed { get; init; }
    public required double ActiveSessions { get; init; }
    public required double WorkingSetBeforeMb { get; init; }
    public required double WorkingSetAfterMb { get; init; }
    public required double ManagedHeapBeforeMb { get; init; }
    public required double ManagedHeapAfterMb { get; init; }
    public required double WorkingSetPerSessionKb { get; init; }
    public required double ManagedHeapPerSessionKb { get; init; }
    public required double UpstreamConnects { get; init; }

    /// <summary>With <c>--detach</c>: sessions the gateway reports detached after the resets, and memory per session then (minus before).</summary>
    public double? DetachedSessions { get; init; }
    public double WorkingSetPerDetachedKb { get; init; }
    public double ManagedHeapPerDetachedKb { get; init; }
}
