using Gateway.Core;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.UnitTests.Configuration;

public sealed class FleetOptionsValidatorTests
{
    [Fact]
    public void Run_InvalidRedisAndInstance_ReportsEveryOneWithItsKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:10096/",
                ["Redis:Configuration"] = ",",
                ["Redis:Prefix"] = "has space",
                ["Redis:InstanceLease"] = "00:00:01",
                ["Gateway:InstanceId"] = "no/slash",
            })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddGatewayCore(configuration).BuildServiceProvider();

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(
            """
            Invalid gateway configuration (4 errors):
              - Gateway:InstanceId must be 1 to 64 of A-Z a-z 0-9 . _ - (was "no/slash").
              - Redis:Configuration names no server (expected host:port[,option=value...]).
              - Redis:Prefix must be 1 to 64 characters without spaces (was "has space").
              - Redis:InstanceLease must be between 00:00:02 and 00:10:00 (was 00:00:01).
            """.ReplaceLineEndings(Environment.NewLine),
            ex.Message);
    }
}
