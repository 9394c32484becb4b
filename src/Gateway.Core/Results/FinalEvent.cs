namespace Gateway.Core.Results;

/// <summary>A segment's text, exactly once per segment; its sentences carry their own times.</summary>
public sealed record FinalEvent(long SegmentId, string Text, long StartSample, long EndSample, IReadOnlyList<Sentence> Sentences) : ServerEvent
{
    /// <summary>
    /// Set when the segment had to be held (its upstream failed or was away) or replayed: the time from its end of
    /// speech to this final. Null for a final on the normal path.
    /// </summary>
    public TimeSpan? Delay { get; init; }
}
