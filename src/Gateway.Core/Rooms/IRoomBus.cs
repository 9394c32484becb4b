namespace Gateway.Core.Rooms;

/// <summary>
/// The broadcast side of rooms: numbers each room's events, keeps their history, and fans them out to the room's
/// viewers. One implementation per deployment shape: <see cref="LocalRoomBus"/> in process; <see cref="RedisRoomBus"/>
/// lets viewers on one gateway follow speakers on another. The behaviour tests run against every implementation.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Publish"/> is called on VAD and dispatcher threads and must never block; the calls that
/// need an answer from a shared bus are asynchronous, so a slow Redis holds no thread while a request waits for it
/// (docs/scale-out.md §5). Within a room,
/// every viewer gets the events in sequence order, each once; a subscription's replay and its live events neither
/// overlap nor leave a gap.
/// </remarks>
public interface IRoomBus
{
    /// <summary>
    /// Numbers, renders, retains and delivers an event. The local bus does it before returning; a shared bus hands it
    /// to Redis without waiting, and every gateway delivers it to its viewers when Redis fans it out, in sequence order.
    /// </summary>
    void Publish(string room, RoomEventData data);

    /// <summary>
    /// Registers a viewer and returns what it must see first. Without <paramref name="after"/>: the finals so far,
    /// in order of speech start. With it (SSE <c>Last-Event-ID</c>): the retained events numbered after it, in order.
    /// Live events reach <see cref="IRoomViewer.TryDeliver"/> from the moment the returned task completes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is beyond the room's last event.</exception>
    Task<RoomReplay> SubscribeAsync(string room, long? after, IRoomViewer viewer);

    void Unsubscribe(string room, IRoomViewer viewer);

    /// <summary>The room's retained finals in order of speech start (then sequence): the transcript.</summary>
    Task<IReadOnlyList<RoomEvent>> FinalsAsync(string room);

    /// <summary>The number of the room's last event (0 before any).</summary>
    Task<long> LastSequenceAsync(string room);

    /// <summary>
    /// Claims a speaker name across every gateway sharing the bus (names are unique in a room ignoring case): false
    /// when another gateway holds it. Each gateway keeps its own names unique itself (<see cref="Room"/>); the local
    /// bus has nothing more to check.
    /// </summary>
    Task<bool> TryClaimSpeakerAsync(string room, string speaker);

    /// <summary>Gives back a name claimed with <see cref="TryClaimSpeakerAsync"/>; never waits.</summary>
    void ReleaseSpeaker(string room, string speaker);

    /// <summary>Forgets a room: its history goes, its remaining viewers are dropped. Never waits for a shared bus.</summary>
    void Remove(string room);
}

/// <summary>What a new subscription sees before the live events, and the last event number it covers.</summary>
public sealed record RoomReplay(IReadOnlyList<RoomEvent> Events, long LastSequence);
