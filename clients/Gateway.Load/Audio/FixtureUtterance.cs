namespace Gateway.Load.Audio;

/// <summary>One spoken utterance of the fixture: its words and where its speech lies in <see cref="SpeechFixture.Samples"/>.</summary>
internal sealed record FixtureUtterance(IReadOnlyList<string> Words, int SpeechStart, int SpeechEnd)
{
    public int SpeechSamples => SpeechEnd - SpeechStart;
}
