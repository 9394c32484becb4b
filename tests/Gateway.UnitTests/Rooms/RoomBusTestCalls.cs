using Gateway.Core.Rooms;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Rooms;

/// <summary>
/// The bus's and registry's asynchronous calls, waited for: the behaviour tests read as sequences of steps. The
/// product never waits on them (docs/scale-out.md §5); a test thread may.
/// </summary>
internal static class RoomBusTestCalls
{
    public static RoomReplay Subscribe(this IRoomBus bus, string room, long? after, IRoomViewer viewer) =>
        bus.SubscribeAsync(room, after, viewer).GetAwaiter().GetResult();

    public static IReadOnlyList<RoomEvent> Finals(this IRoomBus bus, string room) => bus.FinalsAsync(room).GetAwaiter().GetResult();

    public static long LastSequence(this IRoomBus bus, string room) => bus.LastSequenceAsync(room).GetAwaiter().GetResult();

    public static bool TryClaimSpeaker(this IRoomBus bus, string room, string speaker) =>
        bus.TryClaimSpeakerAsync(room, speaker).GetAwaiter().GetResult();

    public static SessionAttachment Attach(this RoomRegistry registry, string sessionId, StreamSettings settings) =>
        registry.AttachAsync(sessionId, settings).AsTask().GetAwaiter().GetResult();

    public static (Room? Room, ClientError? Error) JoinViewer(this RoomRegistry registry, string name) =>
        registry.JoinViewerAsync(name).GetAwaiter().GetResult();
}
