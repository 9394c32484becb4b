using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.FunctionalTests.Compat;

/// <summary>
/// A test pipeline standing in for VAD + upstream: when the client ends speech (finalize or close), the audio
/// received since the previous end becomes one segment whose results are scripted: two growing partials, then a
/// final of two sentences splitting the segment in half. Lets functional tests see real result traffic on the
/// compatible protocols, in the order the session guarantees (results, then the flush or the close).
/// </summary>
internal sealed class ScriptedPipelineFactory(params string[] words) : ISpeechPipelineFactory
{
    public ClientError? Check(StreamSettings settings) => null;

    public ISpeechPipeline Create(SessionContext session) => new Pipeline(session, words);

    private sealed class Pipeline(SessionContext session, string[] words) : ISpeechPipeline
    {
        private long _segmentStart;
        private long _segmentId;

        public Task FinalizeAsync(CancellationToken cancellationToken)
        {
            var end = session.Ring.WritePosition;
            if (end > _segmentStart)
            {
                var id = ++_segmentId;
                var middle = (_segmentStart + end) / 2;
                var first = $"{words[0]} {words[1]}";
                var second = string.Join(' ', words[2..]);
                session.Emit(new SpeechStartedEvent(id, _segmentStart));
                session.Emit(new PartialEvent(id, words[0], _segmentStart, middle));
                session.Emit(new PartialEvent(id, first, _segmentStart, end));
                session.Emit(new SpeechEndedEvent(id, _segmentStart, end, "finalize"));
                session.Emit(new FinalEvent(id, $"{first}. {second}.", _segmentStart, end, [new Sentence(first + ".", _segmentStart, middle), new Sentence(second + ".", middle, end)]));
            }

            session.Audio.OnClassified(end, end);
            _segmentStart = end;
            return Task.CompletedTask;
        }

        public Task DrainAsync(CancellationToken cancellationToken) => FinalizeAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
