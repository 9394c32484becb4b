using Gateway.Core;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.UnitTests.Ingest;

public sealed class IngestOptionsValidatorTests
{
    [Fact]
    public void Run_InvalidIngestSettings_ReportsEveryOneWithItsKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:10096/",
                ["Ingests:MaxIngests"] = "0",
                ["Ingests:InitialBackoff"] = "00:00:10",
                ["Ingests:MaxBackoff"] = "00:00:02",
                ["Ingests:AllowedSchemes:0"] = "rtsp",
                ["Ingests:AllowedSchemes:1"] = "file",
                ["Ingests:Sources:0:Url"] = "camera",
            })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddGatewayCore(configuration).BuildServiceProvider();

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(
            """
            Invalid gateway configuration (5 errors):
              - Ingests:MaxIngests must be between 1 and 1000 (was 0).
              - Ingests:MaxBackoff must be at least Ingests:InitialBackoff (00:00:10) (was 00:00:02).
              - Ingests:AllowedSchemes must not contain the local protocol "file".
              - Ingests:Sources:0:Url must be an absolute URL.
              - Ingests:Sources declares 1 ingests, more than Ingests:MaxIngests (0).
            """.ReplaceLineEndings(Environment.NewLine),
            ex.Message);
    }
}
