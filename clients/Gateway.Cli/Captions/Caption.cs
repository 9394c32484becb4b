namespace Gateway.Cli.Captions;

/// <summary>One final: a segment's text and its span, in milliseconds of session audio.</summary>
internal sealed record Caption(long SegmentId, string Text, double StartMs, double EndMs, IReadOnlyList<CaptionSentence> Sentences);
