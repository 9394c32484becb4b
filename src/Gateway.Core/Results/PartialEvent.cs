namespace Gateway.Core.Results;

/// <summary>The current, still-changing text of a segment (the whole text so far, not a delta).</summary>
public sealed record PartialEvent(long SegmentId, string Text, long StartSample, long EndSample) : ServerEvent;
