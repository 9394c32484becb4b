namespace Gateway.Core.Results;

/// <summary>VAD found speech. Times are 16 kHz sample positions in the session's accepted audio; the start includes pre-roll.</summary>
public sealed record SpeechStartedEvent(long SegmentId, long StartSample) : ServerEvent;
