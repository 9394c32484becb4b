namespace Gateway.Cli.Captions;

/// <summary>A sentence of a final, with its own span.</summary>
internal sealed record CaptionSentence(string Text, double StartMs, double EndMs);
