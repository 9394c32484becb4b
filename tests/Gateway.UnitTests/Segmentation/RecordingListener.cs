using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Segmentation;

internal sealed class RecordingListener : ISegmentListener
{
    public List<object> Events { get; } = [];

    public IEnumerable<SpeechSegment> Segments => Events.OfType<SpeechSegment>();

    public void OnSpeechStarted(SpeechStart start) => Events.Add(start);

    public void OnSpeechEnded(SpeechSegment segment) => Events.Add(segment);
}
