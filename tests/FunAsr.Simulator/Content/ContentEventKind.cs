namespace FunAsr.Simulator.Content;

internal enum ContentEventKind
{
    /// <summary>A newly recognised word or block token: material for an online delta.</summary>
    Word,

    /// <summary>A sentence boundary (gap of at least 300 ms without a frame, or end of utterance).</summary>
    SentenceEnd,
}
