namespace Gateway.Core.Results;

/// <summary>
/// A segment has waited longer than <c>Dispatch:QueuedNoticeAfter</c> for an upstream connection (every one is busy,
/// or the upstream is away); <paramref name="Position"/> is its place among the segments waiting gateway-wide
/// (1 = next). Sent at most once per segment; its final or error follows.
/// </summary>
public sealed record SegmentQueuedEvent(long SegmentId, int Position) : ServerEvent;
