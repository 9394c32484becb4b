namespace Gateway.Core.Results;

/// <summary>A segment could not be transcribed (no upstream took it in time); the session continues.</summary>
public sealed record SegmentFailedEvent(long SegmentId, long StartSample, long EndSample, string Code, string Message) : ServerEvent;
