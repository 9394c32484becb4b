using System.Collections.Concurrent;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Rooms;

/// <summary>
/// Every room of this gateway: opens a room for its first participant (or <c>POST /v1/rooms</c>), seats
/// participants and viewers within the limits, and lets an empty room linger for its retention before it goes.
/// It is the sessions' <see cref="ISessionAttachments"/>: a native session with <c>room</c> becomes a participant.
/// </summary>
public sealed partial class RoomRegistry : ISessionAttachments
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private readonly RoomOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _participants;
    private int _viewers;

    public RoomRegistry(IOptions<RoomOptions> options, IRoomBus bus, RoomMetrics metrics, TimeProvider time, ILogger<RoomRegistry> logger)
    {
        _options = options.Value;
        Bus = bus;
        Metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.Observe(() => _rooms.Count, () => Volatile.Read(ref _participants), () => Volatile.Read(ref _viewers));
    }

    public IRoomBus Bus { get; }

    public RoomMetrics Metrics { get; }

    public RoomOptions Options => _options;

    public IReadOnlyCollection<Room> Rooms => [.. _rooms.Values.Where(r => !r.Closed).OrderBy(r => r.CreatedAt)];

    public Room? Find(string name) => _rooms.TryGetValue(name, out var room) && !room.Closed ? room : null;

    /// <summary><c>POST /v1/rooms</c>: a room with its own settings, lingering until its first participant or viewer comes.</summary>
    public (Room? Room, ClientError? Error) Create(string? name, RoomSettings settings)
    {
        name ??= $"room-{Guid.NewGuid():N}"[..13];
        lock (_create)
        {
            if (Find(name) is not null)
            {
                return Refuse(new ClientError(RoomErrorCodes.RoomExists, $"room \"{name}\" already exists", 0));
            }

            if (_rooms.Count >= _options.MaxRooms)
            {
                return Refuse(LimitError());
            }

            var room = Open(name, settings, created: true);
            room.StartExpiry(Expire);
            return (room, null);
        }
    }

    public async ValueTask<SessionAttachment> AttachAsync(string sessionId, StreamSettings settings)
    {
        if (settings.Room is null && settings.Speaker is null)
        {
            return SessionAttachment.None(settings);
        }

        if (settings.Room is null)
        {
            return Refused(new ClientError(RoomErrorCodes.InvalidRoom, "speaker is set but room is not; a participant needs both (room=...&speaker=...)", RoomCloseCodes.InvalidName));
        }

        if (RoomNames.CheckRoom(settings.Room) is { } roomError)
        {
            return Refused(new ClientError(RoomErrorCodes.InvalidRoom, roomError, RoomCloseCodes.InvalidName));
        }

        if (RoomNames.CheckSpeaker(settings.Speaker, _options.MaxSpeakerNameLength) is { } speakerError)
        {
            return Refused(new ClientError(RoomErrorCodes.InvalidSpeaker, speakerError, RoomCloseCodes.InvalidName));
        }

        while (true)
        {
            var room = Find(settings.Room);
            if (room is null)
            {
                lock (_create)
                {
                    room = Find(settings.Room);
                    if (room is null)
                    {
                        if (_rooms.Count >= _options.MaxRooms)
                        {
                            return Refused(LimitError());
                        }

                        room = Open(settings.Room, RoomSettings.Defaults(_options), created: false);
                    }
                }
            }

            var participant = new Participant(this, room, settings.Speaker!, sessionId, _time);
            if (room.TryJoin(participant) is { } error)
            {
                return Refused(error);
            }

            if (room.Closed)
            {
                continue; // it expired between Find and TryJoin (TryJoin refused silently); open a new one
            }

            // Seated here; now across the fleet (the shared bus: a live gateway may hold the name in the same room).
            if (!await Bus.TryClaimSpeakerAsync(room.Name, participant.Speaker))
            {
                if (room.Remove(participant))
                {
                    room.StartExpiry(Expire);
                }

                return Refused(new ClientError(RoomErrorCodes.SpeakerTaken, $"the speaker name \"{participant.Speaker}\" is already in use in room \"{room.Name}\" on another gateway (names are unique ignoring case)", RoomCloseCodes.SpeakerTaken));
            }

            Interlocked.Increment(ref _participants);
            Publish(room, new RoomEventData(RoomEventKind.ParticipantJoined, participant.Speaker, StartMs: participant.JoinedAtMs));
            Log.ParticipantJoined(_logger, room.Name, participant.Speaker, sessionId);
            return new SessionAttachment(RoomSettingsParser.Apply(room.Settings, settings), participant, null);
        }
    }

    /// <summary>Seats a viewer; the caller must call <see cref="LeaveViewer"/> once it is done.</summary>
    public async Task<(Room? Room, ClientError? Error)> JoinViewerAsync(string name)
    {
        if (Find(name) is null && Bus is RedisRoomBus)
        {
            // One of a fleet: a room another gateway holds (its events are in Redis) is followed here too.
            try
            {
                if (await Bus.LastSequenceAsync(name) > 0)
                {
                    lock (_create)
                    {
                        if (Find(name) is null && _rooms.Count < _options.MaxRooms)
                        {
                            Open(name, RoomSettings.Defaults(_options), created: false);
                        }
                    }
                }
            }
            catch (RoomBusUnavailableException ex)
            {
                return Refuse(new ClientError(RoomErrorCodes.RoomStateUnavailable, ex.Message, RoomCloseCodes.RoomStateUnavailable));
            }
        }

        if (Find(name) is not { } room || room.TryAddViewer() is not { Open: true } seat)
        {
            return Refuse(new ClientError(RoomErrorCodes.RoomNotFound, $"no room \"{name}\" (rooms exist while they have participants or viewers, then linger; create one with POST /v1/rooms)", RoomCloseCodes.RoomNotFound));
        }

        if (seat.Error is { } error)
        {
            return Refuse(error);
        }

        Interlocked.Increment(ref _viewers);
        return (room, null);
    }

    public void LeaveViewer(Room room)
    {
        Interlocked.Decrement(ref _viewers);
        if (room.Remove(null))
        {
            room.StartExpiry(Expire);
        }
    }

    /// <summary>Counts a refusal the endpoint decided itself (a malformed request).</summary>
    public void Refused(string code) => Metrics.Error(code);

    /// <summary>
    /// A participant's source went away (<see cref="RoomEventKind.SourceLost"/>, <paramref name="message"/> says why) or
    /// came back (<see cref="RoomEventKind.SourceRestored"/>, the gap from <paramref name="startStreamMs"/> to
    /// <paramref name="endStreamMs"/>): published in the room with the participant's stream times on the room's clock,
    /// like its finals. An ingest's (docs/ingest.md §4). False when the speaker is not (or no longer) in the room.
    /// </summary>
    public bool PublishSourceEvent(string room, string speaker, RoomEventKind kind, double startStreamMs, double endStreamMs, string? message)
    {
        if (kind is not (RoomEventKind.SourceLost or RoomEventKind.SourceRestored))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "only source_lost and source_restored are published for a source");
        }

        if (Find(room) is not { } open || open.FindParticipant(speaker) is not { } participant)
        {
            return false;
        }

        var start = participant.JoinedAtMs + startStreamMs;
        Publish(open, new RoomEventData(kind, participant.Speaker, StartMs: start, EndMs: participant.JoinedAtMs + endStreamMs, Text: kind == RoomEventKind.SourceLost ? message : null));
        return true;
    }

    internal void Publish(Room room, RoomEventData data)
    {
        Bus.Publish(room.Name, data);
        Metrics.Published(data.Kind);
    }

    internal void Leave(Participant participant)
    {
        var room = participant.Room;
        Interlocked.Decrement(ref _participants);
        Publish(room, new RoomEventData(RoomEventKind.ParticipantLeft, participant.Speaker, StartMs: room.NowMs));
        Bus.ReleaseSpeaker(room.Name, participant.Speaker);
        Log.ParticipantLeft(_logger, room.Name, participant.Speaker, participant.Finals);
        if (room.Remove(participant))
        {
            room.StartExpiry(Expire);
        }
    }

    private Room Open(string name, RoomSettings settings, bool created)
    {
        var room = new Room(name, settings, created, _time);
        _rooms[name] = room;
        Log.RoomOpened(_logger, name, created);
        return room;
    }

    private void Expire(Room room)
    {
        lock (_create)
        {
            if (!room.TryClose())
            {
                return;
            }

            _rooms.TryRemove(new KeyValuePair<string, Room>(room.Name, room));
            // Under the lock: a new room of the same name (opened under it too) must start with a fresh stream.
            Bus.Remove(room.Name);
        }

        Log.RoomExpired(_logger, room.Name);
    }

    private ClientError LimitError() =>
        new(RoomErrorCodes.RoomLimit, $"the gateway has its maximum of {_options.MaxRooms} rooms", RoomCloseCodes.RoomLimit);

    private (Room?, ClientError?) Refuse(ClientError error)
    {
        Metrics.Error(error.Code);
        return (null, error);
    }

    private SessionAttachment Refused(ClientError error)
    {
        Metrics.Error(error.Code);
        Log.ParticipantRefused(_logger, error.Code, error.Message);
        return SessionAttachment.Refused(error);
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.RoomOpened, LogLevel.Information, "Room {Room} opened (created explicitly: {Created})")]
        public static partial void RoomOpened(ILogger logger, string room, bool created);

        [LoggerMessage(Diagnostics.EventIds.RoomExpired, LogLevel.Information, "Room {Room} expired")]
        public static partial void RoomExpired(ILogger logger, string room);

        [LoggerMessage(Diagnostics.EventIds.ParticipantJoined, LogLevel.Information, "Room {Room}: {Speaker} joined (session {SessionId})")]
        public static partial void ParticipantJoined(ILogger logger, string room, string speaker, string sessionId);

        [LoggerMessage(Diagnostics.EventIds.ParticipantLeft, LogLevel.Information, "Room {Room}: {Speaker} left after {Finals} finals")]
        public static partial void ParticipantLeft(ILogger logger, string room, string speaker, long finals);

        [LoggerMessage(Diagnostics.EventIds.ParticipantRefused, LogLevel.Information, "Room participant refused: {Code}: {Message}")]
        public static partial void ParticipantRefused(ILogger logger, string code, string message);
    }
}
