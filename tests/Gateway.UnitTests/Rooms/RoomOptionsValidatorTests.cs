using Gateway.Core;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.UnitTests.Rooms;

public sealed class RoomOptionsValidatorTests
{
    [Fact]
    public void Run_InvalidRoomLimits_ReportsEveryOneWithItsKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:10096/",
                ["Rooms:MaxParticipants"] = "0",
                ["Rooms:ViewerQueueCapacity"] = "4",
                ["Rooms:IdleExpiry"] = "2.00:00:00",
                ["Rooms:MaxRetention"] = "01:00:00",
            })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddGatewayCore(configuration).BuildServiceProvider();

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(
            """
            Invalid gateway configuration (3 errors):
              - Rooms:MaxParticipants must be between 1 and 1000 (was 0).
              - Rooms:ViewerQueueCapacity must be between 8 and 65536 (was 4).
              - Rooms:MaxRetention must be at least Rooms:IdleExpiry (2.00:00:00) (was 01:00:00).
            """.ReplaceLineEndings(Environment.NewLine),
            ex.Message);
    }
}
