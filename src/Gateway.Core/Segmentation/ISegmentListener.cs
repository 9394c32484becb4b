namespace Gateway.Core.Segmentation;

/// <summary>Receives a session's segment events (for example to send speech_started / speech_ended and to dispatch audio).</summary>
/// <remarks>
/// Called on the thread that caused the event (a VAD worker, or the caller of <see cref="Segmenter.Flush"/>), never
/// concurrently for one segmenter, while the segmenter's lock is held: do not block, hand off slow work.
/// </remarks>
public interface ISegmentListener
{
    void OnSpeechStarted(SpeechStart start);

    void OnSpeechEnded(SpeechSegment segment);
}
