namespace Gateway.Core.Jobs.Store;

/// <summary>A sentence of a finished job, in seconds of the recording.</summary>
public sealed record JobSentence(string Text, double Start, double End);
