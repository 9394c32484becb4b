namespace Gateway.Core.Results;

/// <summary>A segment's text, exactly once per segment; its sentences carry their own times.</summary>
public sealed record FinalEvent(long SegmentId, string Text, long StartSample, long EndSample, IReadOnlyList<Sentence> Sentences) : ServerEvent;
