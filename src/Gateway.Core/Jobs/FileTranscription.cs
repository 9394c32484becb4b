using Gateway.Core.Results;

namespace Gateway.Core.Jobs;

/// <summary>The result of transcribing a recording: its segments in order, with their sentences.</summary>
public sealed record FileTranscription(TimeSpan Duration, IReadOnlyList<TranscribedSegment> Segments)
{
    /// <summary>Every sentence, in order.</summary>
    public IEnumerable<Sentence> Sentences => Segments.SelectMany(s => s.Sentences);

    /// <summary>The segments' texts joined by spaces (CJK text already carries no spaces inside a segment).</summary>
    public string Text => string.Join(' ', Segments.Select(s => s.Text).Where(t => t.Length > 0));
}
