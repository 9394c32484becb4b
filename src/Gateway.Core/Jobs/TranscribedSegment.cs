using Gateway.Core.Results;

namespace Gateway.Core.Jobs;

/// <summary>One speech segment of a recording and its recognised sentences, in 16 kHz sample positions of the recording.</summary>
public sealed record TranscribedSegment(long StartSample, long EndSample, string Text, IReadOnlyList<Sentence> Sentences);
