namespace Gateway.Core.Segmentation;

/// <summary>Why a segment ended.</summary>
public enum SegmentEndReason
{
    /// <summary>Silence lasted the endpoint duration.</summary>
    EndpointSilence,

    /// <summary>
    /// <see cref="SegmenterOptions.CloseAtSpeechEnd"/>: the trailing silence lasted the post-roll; speech resuming
    /// before the endpoint silence passes goes on in a new segment that starts where this one ended.
    /// </summary>
    SpeechEnd,

    /// <summary>The segment reached the maximum length and was cut at the quietest recent window; speech continues in the next segment.</summary>
    MaxLength,

    /// <summary><see cref="Segmenter.Flush"/> closed it (the client asked to finalize, or the stream ended).</summary>
    Flush,
}
