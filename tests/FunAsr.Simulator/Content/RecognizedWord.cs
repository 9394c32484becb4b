namespace FunAsr.Simulator.Content;

/// <summary>A recognised word (or block token) with its sample range from the utterance origin (16 kHz).</summary>
internal sealed record RecognizedWord(string Text, long StartSample, long EndSample)
{
    public long EndSample { get; set; } = EndSample;

    public int StartMs => (int)(StartSample / 16);

    public int EndMs => (int)(EndSample / 16);
}
