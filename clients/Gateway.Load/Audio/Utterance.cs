namespace Gateway.Load.Audio;

/// <summary>
/// One utterance instance as a stream sends it: the speech clip with its watermarked words followed by silence.
/// Offsets are samples from the start of <see cref="Samples"/>.
/// </summary>
/// <param name="Tokens">The words the finals must contain, in order; unique within the stream (<c>word_n</c>).</param>
internal sealed record Utterance(short[] Samples, int SpeechStart, int SpeechEnd, IReadOnlyList<string> Tokens);
