namespace Gateway.Core.Segmentation;

/// <summary>Per-session segmentation settings a client asked for; null members keep the server default.</summary>
public sealed record SegmenterOverrides
{
    public double? Threshold { get; init; }

    public double? NegThreshold { get; init; }

    public int? MinSpeechMs { get; init; }

    public int? EndpointSilenceMs { get; init; }

    public int? MaxSegmentMs { get; init; }

    public int? PreRollMs { get; init; }

    public int? PostRollMs { get; init; }
}
