using Gateway.Core.Sessions;

namespace Gateway.Core.Rooms;

/// <summary>
/// One meeting room: its clock (milliseconds since its start), participants, viewer count, counters and expiry.
/// Its events go through the <see cref="IRoomBus"/>. All state is guarded by the room's lock; the registry decides
/// when a room opens and closes.
/// </summary>
public sealed class Room
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly Dictionary<string, Participant> _participants = new(RoomNames.Speakers);
    private int _viewers;
    private long _segments;
    private long _failed;
    private long _nextSegmentId;
    private int _latencyCount;
    private double _latencyLast;
    private double _latencySum;
    private double _latencyMax;
    private ITimer? _expiry;
    private DateTimeOffset? _expiresAt;

    internal Room(string name, RoomSettings settings, bool created, TimeProvider time)
    {
        Name = name;
        Settings = settings;
        Created = created;
        _time = time;
        _started = time.GetTimestamp();
        CreatedAt = time.GetUtcNow();
    }

    public string Name { get; }

    public RoomSettings Settings { get; }

    /// <summary>Created with <c>POST /v1/rooms</c> (rather than by its first participant).</summary>
    public bool Created { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>True once the room expired or was removed; nothing may join it any more.</summary>
    internal bool Closed { get; private set; }

    /// <summary>The room's clock: milliseconds since it started.</summary>
    public double NowMs => _time.GetElapsedTime(_started).TotalMilliseconds;

    internal int ParticipantCount
    {
        get
        {
            lock (_lock)
            {
                return _participants.Count;
            }
        }
    }

    internal int ViewerCount => Volatile.Read(ref _viewers);

    internal long NextSegmentId() => Interlocked.Increment(ref _nextSegmentId);

    internal Participant? FindParticipant(string speaker)
    {
        lock (_lock)
        {
            return _participants.GetValueOrDefault(speaker);
        }
    }

    internal ClientError? TryJoin(Participant participant)
    {
        lock (_lock)
        {
            if (Closed)
            {
                return null; // the registry retries with a new room
            }

            if (_participants.ContainsKey(participant.Speaker))
            {
                return new ClientError(RoomErrorCodes.SpeakerTaken, $"the speaker name \"{participant.Speaker}\" is already in use in room \"{Name}\" (names are unique ignoring case)", RoomCloseCodes.SpeakerTaken);
            }

            if (_participants.Count >= Settings.MaxParticipants)
            {
                return new ClientError(RoomErrorCodes.RoomFull, $"room \"{Name}\" is full ({Settings.MaxParticipants} participants)", RoomCloseCodes.RoomFull);
            }

            _participants.Add(participant.Speaker, participant);
            CancelExpiry();
            return null;
        }
    }

    /// <summary>False when the room closed meanwhile; the error when the viewer limit is reached.</summary>
    internal (bool Open, ClientError? Error) TryAddViewer()
    {
        lock (_lock)
        {
            if (Closed)
            {
                return (false, null);
            }

            if (_viewers >= Settings.MaxViewers)
            {
                return (true, new ClientError(RoomErrorCodes.ViewerLimit, $"room \"{Name}\" has its maximum of {Settings.MaxViewers} viewers", RoomCloseCodes.ViewerLimit));
            }

            _viewers++;
            CancelExpiry();
            return (true, null);
        }
    }

    /// <summary>Removes a participant or a viewer; true when the room is now empty (its linger starts).</summary>
    internal bool Remove(Participant? participant)
    {
        lock (_lock)
        {
            if (participant is not null)
            {
                _participants.Remove(participant.Speaker);
            }
            else
            {
                _viewers--;
            }

            return _participants.Count == 0 && _viewers == 0;
        }
    }

    internal void StartExpiry(Action<Room> expire)
    {
        lock (_lock)
        {
            if (Closed || _participants.Count > 0 || _viewers > 0)
            {
                return;
            }

            _expiry?.Dispose();
            _expiresAt = _time.GetUtcNow() + Settings.Retention;
            _expiry = _time.CreateTimer(static s => ((Action)s!)(), (Action)(() => expire(this)), Settings.Retention, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Closes the room if it is still empty; true when it closed.</summary>
    internal bool TryClose()
    {
        lock (_lock)
        {
            if (Closed || _participants.Count > 0 || _viewers > 0)
            {
                return false;
            }

            Closed = true;
            CancelExpiry();
            return true;
        }
    }

    internal void FinalPublished(double? latencyMs)
    {
        lock (_lock)
        {
            _segments++;
            if (latencyMs is { } ms)
            {
                _latencyCount++;
                _latencyLast = ms;
                _latencySum += ms;
                _latencyMax = Math.Max(_latencyMax, ms);
            }
        }
    }

    internal void SegmentFailed()
    {
        lock (_lock)
        {
            _failed++;
        }
    }

    public RoomSnapshot Snapshot(long lastSequence)
    {
        lock (_lock)
        {
            var participants = _participants.Values
                .OrderBy(p => p.JoinedAtMs)
                .Select(p => new ParticipantSnapshot(p.Speaker, p.SessionId, Math.Round(p.JoinedAtMs, 1), p.Finals))
                .ToList();
            var latency = new CaptionLatency(_latencyCount, Math.Round(_latencyLast, 2), _latencyCount == 0 ? 0 : Math.Round(_latencySum / _latencyCount, 2), Math.Round(_latencyMax, 2));
            return new RoomSnapshot(Name, CreatedAt, Math.Round(NowMs, 1), Created, Settings, participants, _viewers, _segments, _failed, lastSequence, _expiresAt, latency);
        }
    }

    private void CancelExpiry()
    {
        _expiry?.Dispose();
        _expiry = null;
        _expiresAt = null;
    }
}
