using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>Audio was dropped because the session's ring was full.</summary>
public sealed record OverflowEvent(long DroppedSamples, long TotalDroppedSamples) : ServerEvent;
