namespace Gateway.Core.Results;

/// <summary>A speech segment ended (<paramref name="Cause"/>: <c>endpoint</c>, <c>speech_end</c>, <c>max_length</c> or <c>finalize</c>).</summary>
public sealed record SpeechEndedEvent(long SegmentId, long StartSample, long EndSample, string Cause) : ServerEvent;
