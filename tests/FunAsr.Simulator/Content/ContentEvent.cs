namespace FunAsr.Simulator.Content;

/// <summary>What one step of decoding produced, in audio order.</summary>
internal readonly record struct ContentEvent(ContentEventKind Kind, RecognizedWord? Word, Sentence? Sentence)
{
    public static ContentEvent NewWord(RecognizedWord word) => new(ContentEventKind.Word, word, null);

    public static ContentEvent SentenceEnd(Sentence sentence) => new(ContentEventKind.SentenceEnd, null, sentence);
}
