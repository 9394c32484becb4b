namespace Gateway.Core.Segmentation;

/// <summary>Configuration section <c>Segmenter</c>: the server's segmentation defaults and the bounds for per-session overrides.</summary>
public sealed class SegmenterOptions
{
    /// <summary>Speech starts when the probability reaches this. Default 0.5.</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>Silence starts when the probability falls below this. Default (null): <see cref="Threshold"/> - 0.15, at least 0.01.</summary>
    public double? NegThreshold { get; set; }

    /// <summary>Speech shorter than this never starts a segment. Default 250 ms.</summary>
    public int MinSpeechMs { get; set; } = 250;

    /// <summary>Silence that ends a segment. Default 500 ms.</summary>
    public int EndpointSilenceMs { get; set; } = 500;

    /// <summary>Longest segment; a longer one is cut at the quietest recent window. Default 30 000 ms.</summary>
    public int MaxSegmentMs { get; set; } = 30_000;

    /// <summary>Audio kept before the detected speech start. Default 250 ms.</summary>
    public int PreRollMs { get; set; } = 250;

    /// <summary>Audio kept after the detected speech end; at most <see cref="EndpointSilenceMs"/>. Default 150 ms.</summary>
    public int PostRollMs { get; set; } = 150;

    /// <summary>
    /// Ends each segment at the end of speech, when the trailing silence has lasted <see cref="PostRollMs"/>, instead
    /// of after <see cref="EndpointSilenceMs"/>: the upstream utterance is finished and its connection given back
    /// about EndpointSilenceMs - PostRollMs sooner, and the final comes that much sooner. Speech that resumes within
    /// the endpoint silence opens a new segment at once, starting where the previous one ended (no audio skipped or
    /// sent twice), so a phrase with a pause is transcribed in several pieces, each without the other's context.
    /// Needs PostRollMs less than EndpointSilenceMs. Default false (docs/upstream.md, "Giving a connection back at
    /// the end of speech").
    /// </summary>
    public bool CloseAtSpeechEnd { get; set; }

    /// <summary>Limits on what a session may ask for (section <c>Segmenter:Bounds</c>).</summary>
    public SegmenterBounds Bounds { get; set; } = new();
}
