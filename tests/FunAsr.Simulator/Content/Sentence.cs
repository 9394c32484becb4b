namespace FunAsr.Simulator.Content;

/// <summary>The words of one simulated VAD segment.</summary>
internal sealed class Sentence(IReadOnlyList<RecognizedWord> words)
{
    public IReadOnlyList<RecognizedWord> Words { get; } = words;

    public string Text => string.Join(' ', Words.Select(w => w.Text));

    public int StartMs => Words[0].StartMs;

    public int EndMs => Words[^1].EndMs;
}
