using Gateway.Core;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.UnitTests.Configuration;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Run_SeveralInvalidValues_ReportsEveryOneWithItsKey()
    {
        var services = Build(new()
        {
            ["Admission:MaxClients"] = "0",
            ["Admission:IdleTimeout"] = "00:00:00",
            ["Sessions:RingSeconds"] = "0.5",
            ["Sessions:MaxMessageBytes"] = "10",
        });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(
            """
            Invalid gateway configuration (4 errors):
              - Admission:MaxClients must be between 1 and 100000 (was 0).
              - Admission:IdleTimeout must be between 00:00:01 and 1.00:00:00 (was 00:00:00).
              - Sessions:RingSeconds must be between 3 and 600 (was 0.5).
              - Sessions:MaxMessageBytes must be between 1024 and 67108864 (was 10).
            """.ReplaceLineEndings(Environment.NewLine),
            ex.Message);
    }

    [Fact]
    public void Run_InvalidCompatEndpointValues_ReportsBothWithTheirKeys()
    {
        var services = Build(new()
        {
            ["WhisperLive:DefaultLanguage"] = "english!",
            ["FunAsrEndpoint:RootFlavour"] = "funasr-python",
        });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(
            """
            Invalid gateway configuration (2 errors):
              - WhisperLive:DefaultLanguage must be a language code of 2 to 16 letters such as "en" (was "english!").
              - FunAsrEndpoint:RootFlavour must be "funasr-2pass" or "funasr-offline" (was "funasr-python").
            """.ReplaceLineEndings(Environment.NewLine),
            ex.Message);
    }

    [Fact]
    public void Run_InvalidHoldAndReadinessValues_ReportsEveryOneExactly()
    {
        var services = Build(new()
        {
            ["Dispatch:SessionHoldSeconds"] = "-1",
            ["Dispatch:GatewayHoldBytes"] = "-5",
            ["Dispatch:QueuedNoticeAfter"] = "-00:00:01",
            ["Dispatch:ReadinessStallAfter"] = "00:00:00",
            ["Sessions:PreStopDelay"] = "00:10:00",
        });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(
            [
                "Dispatch:GatewayHoldBytes must be between 0 and 17179869184 (was -5).",
                "Dispatch:QueuedNoticeAfter must be between 00:00:00 and 00:10:00 (was -00:00:01).",
                "Dispatch:ReadinessStallAfter must be between 00:00:01 and 00:10:00 (was 00:00:00).",
                "Dispatch:SessionHoldSeconds must be between 0 and 3600 (was -1).",
                "Sessions:PreStopDelay must be between 00:00:00 and 00:05:00 (was 00:10:00).",
            ],
            ex.Failures.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:10:01")]
    public void Run_ResumeWindowOutOfRange_ReportsItExactly(string window)
    {
        var services = Build(new() { ["Sessions:ResumeWindow"] = window });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal([$"Sessions:ResumeWindow must be between 00:00:00 and 00:10:00 (was {window})."], ex.Failures);
    }

    [Fact]
    public void Run_ValueOfTheWrongType_NamesTheKey()
    {
        var services = Build(new() { ["Admission:MaxClients"] = "lots" });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("'Admission:MaxClients'", failure);
    }

    [Fact]
    public void Run_UnknownKey_IsReportedInsteadOfIgnored()
    {
        var services = Build(new() { ["Admission:MaxClient"] = "5" });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Contains("MaxClient", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Run_NoUpstreamEndpoint_IsReported()
    {
        var services = new ServiceCollection().AddLogging().AddGatewayCore(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.StartsWith("Upstream:Endpoints must list at least one", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Run_Defaults_AreValid()
    {
        OptionsCheck.Run(Build([]));
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:10096/" })
            .AddInMemoryCollection(values)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGatewayCore(configuration);
        return services.BuildServiceProvider();
    }
}
