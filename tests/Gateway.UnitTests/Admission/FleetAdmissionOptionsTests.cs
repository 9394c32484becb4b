using Gateway.Core;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.UnitTests.Admission;

/// <summary><c>Admission:Scope</c>: Fleet needs the fleet's Redis; a scope that is neither is named exactly.</summary>
public sealed class FleetAdmissionOptionsTests
{
    [Fact]
    public void Run_FleetWithoutRedis_SaysWhatToSet()
    {
        var services = Build(new() { ["Admission:Scope"] = "Fleet" });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(["Admission:Scope Fleet needs the fleet's Redis: set Redis:Configuration (docs/scale-out.md), or use Local."], ex.Failures);
    }

    [Fact]
    public void Run_FleetWithRedisAndAShortLease_ReportsOnlyTheLease()
    {
        var services = Build(new()
        {
            ["Admission:Scope"] = "Fleet",
            ["Redis:Configuration"] = "127.0.0.1:6379",
            ["Redis:InstanceLease"] = "00:00:01",
        });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(["Redis:InstanceLease must be between 00:00:02 and 00:10:00 (was 00:00:01)."], ex.Failures);
    }

    [Fact]
    public void Run_ScopeNumberOutOfTheEnum_NamesIt()
    {
        var services = Build(new() { ["Admission:Scope"] = "7" });

        var ex = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Equal(["Admission:Scope must be Local or Fleet (was 7)."], ex.Failures);
    }

    [Fact]
    public void Run_FleetWithRedis_IsValid()
    {
        var services = Build(new() { ["Admission:Scope"] = "Fleet", ["Redis:Configuration"] = "127.0.0.1:6379" });

        OptionsCheck.Run(services);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:10096/" })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGatewayCore(configuration);
        return services.BuildServiceProvider();
    }
}
