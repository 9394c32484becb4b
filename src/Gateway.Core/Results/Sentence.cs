namespace Gateway.Core.Results;

/// <summary>One recognised sentence of a segment, in stream time.</summary>
public sealed record Sentence(string Text, long StartSample, long EndSample);
