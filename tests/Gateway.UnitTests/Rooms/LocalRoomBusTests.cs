using Gateway.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Rooms;

public sealed class LocalRoomBusTests : RoomBusBehaviourTests
{
    protected override IRoomBus Create(int historyCapacity = 1000) =>
        new LocalRoomBus(Options.Create(new RoomOptions { HistoryCapacity = historyCapacity }));

    [Fact]
    public void Publish_AllocationDoesNotGrowWithViewers()
    {
        var few = Allocated(Create(historyCapacity: 100), viewers: 1);
        var many = Allocated(Create(historyCapacity: 100), viewers: 200);

        // The same bytes per event whatever the audience: nothing is rendered or copied per viewer (RoomFanOut,
        // which the Redis bus shares; there the fan-out runs on the subscription's thread, not the publisher's).
        Assert.True(many < few + 64, $"{few} B per event with 1 viewer, {many} B with 200");
    }
}
