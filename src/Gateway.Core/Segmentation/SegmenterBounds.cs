namespace Gateway.Core.Segmentation;

/// <summary>Configuration section <c>Segmenter:Bounds</c>: the range each per-session override must fall in.</summary>
public sealed class SegmenterBounds
{
    /// <summary>Default 0.1.</summary>
    public double ThresholdMin { get; set; } = 0.1;

    /// <summary>Default 0.95.</summary>
    public double ThresholdMax { get; set; } = 0.95;

    /// <summary>Default 2000 ms.</summary>
    public int MinSpeechMsMax { get; set; } = 2_000;

    /// <summary>Default 100 ms.</summary>
    public int EndpointSilenceMsMin { get; set; } = 100;

    /// <summary>Default 5000 ms.</summary>
    public int EndpointSilenceMsMax { get; set; } = 5_000;

    /// <summary>Default 1000 ms.</summary>
    public int MaxSegmentMsMin { get; set; } = 1_000;

    /// <summary>Default 60 000 ms.</summary>
    public int MaxSegmentMsMax { get; set; } = 60_000;

    /// <summary>Default 1000 ms.</summary>
    public int PreRollMsMax { get; set; } = 1_000;

    /// <summary>Default 1000 ms (and never more than the session's endpoint silence).</summary>
    public int PostRollMsMax { get; set; } = 1_000;
}
