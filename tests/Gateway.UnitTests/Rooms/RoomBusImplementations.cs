using Gateway.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Rooms;

/// <summary>
/// Every <see cref="IRoomBus"/> the behaviour suite runs against, by name. A shared implementation (Redis) adds
/// its row here, with the same options, and must pass the same tests.
/// </summary>
public static class RoomBusImplementations
{
    public static TheoryData<string> Names => ["local"];

    public static IRoomBus Create(string name, int historyCapacity = 1000) => name switch
    {
        "local" => new LocalRoomBus(Options.Create(new RoomOptions { HistoryCapacity = historyCapacity })),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such room bus"),
    };
}
