using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Rooms;

/// <summary>
/// A speaking session in a room: publishes the session's results to the room, on the room's clock. The session's
/// stream times (samples since its audio began) become room milliseconds by adding the time the participant joined.
/// Segment ids become room-unique; the session's own id travels along as <c>session_segment_id</c>.
/// </summary>
/// <remarks>
/// Results arrive on a VAD worker (speech events) and on the session's dispatcher loop (partials, finals, failures):
/// the open-segment table is locked. Never blocks: the bus does not.
/// </remarks>
internal sealed class Participant : ISessionObserver
{
    private readonly RoomRegistry _registry;
    private readonly TimeProvider _time;
    private readonly Dictionary<long, OpenSegment> _open = [];
    private long _finals;
    private int _left;

    public Participant(RoomRegistry registry, Room room, string speaker, string sessionId, TimeProvider time)
    {
        _registry = registry;
        _time = time;
        Room = room;
        Speaker = speaker;
        SessionId = sessionId;
        JoinedAtMs = room.NowMs;
    }

    public Room Room { get; }

    public string Speaker { get; }

    public string SessionId { get; }

    /// <summary>When the participant joined, on the room's clock; its stream time 0.</summary>
    public double JoinedAtMs { get; }

    public long Finals => Volatile.Read(ref _finals);

    public void OnResult(ServerEvent result)
    {
        switch (result)
        {
            case SpeechStartedEvent started:
                var id = Room.NextSegmentId();
                lock (_open)
                {
                    _open[started.SegmentId] = new OpenSegment(id, 0);
                }

                Publish(new RoomEventData(RoomEventKind.SpeechStarted, Speaker, id, started.SegmentId, Ms(started.StartSample)));
                break;
            case SpeechEndedEvent ended:
                var segment = Segment(ended.SegmentId, remove: false, endedAt: _time.GetTimestamp());
                Publish(new RoomEventData(RoomEventKind.SpeechEnded, Speaker, segment.RoomId, ended.SegmentId, Ms(ended.StartSample), Ms(ended.EndSample), ended.Cause));
                break;
            case PartialEvent partial:
                Publish(new RoomEventData(RoomEventKind.Partial, Speaker, Segment(partial.SegmentId, false).RoomId, partial.SegmentId, Ms(partial.StartSample), Ms(partial.EndSample), partial.Text));
                break;
            case FinalEvent final:
                var done = Segment(final.SegmentId, remove: true);
                Publish(new RoomEventData(
                    RoomEventKind.Final, Speaker, done.RoomId, final.SegmentId, Ms(final.StartSample), Ms(final.EndSample), final.Text,
                    final.Sentences, JoinedAtMs));
                Interlocked.Increment(ref _finals);
                // Speech end to the final queued for every viewer (Publish returned): the room's caption latency.
                double? latency = done.EndedAt == 0 ? null : _time.GetElapsedTime(done.EndedAt).TotalMilliseconds;
                Room.FinalPublished(latency);
                if (latency is { } ms)
                {
                    _registry.Metrics.CaptionLatency(ms);
                }
                break;
            case SegmentFailedEvent failed:
                var lost = Segment(failed.SegmentId, remove: true);
                Publish(new RoomEventData(RoomEventKind.SegmentFailed, Speaker, lost.RoomId, failed.SegmentId, Ms(failed.StartSample), Ms(failed.EndSample), failed.Message, Code: failed.Code));
                Room.SegmentFailed();
                break;
        }
    }

    /// <summary>The session ended: the participant leaves the room.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            _registry.Leave(this);
        }
    }

    private void Publish(RoomEventData data) => _registry.Publish(Room, data);

    private double Ms(long samples) => JoinedAtMs + samples / 16.0;

    private OpenSegment Segment(long sessionSegmentId, bool remove, long endedAt = 0)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(sessionSegmentId, out var segment))
            {
                segment = new OpenSegment(Room.NextSegmentId(), 0); // a result without speech_started: numbered anyway
            }

            if (endedAt != 0)
            {
                segment = segment with { EndedAt = endedAt };
            }

            if (remove)
            {
                _open.Remove(sessionSegmentId);
            }
            else
            {
                _open[sessionSegmentId] = segment;
            }

            return segment;
        }
    }

    private readonly record struct OpenSegment(long RoomId, long EndedAt);
}
