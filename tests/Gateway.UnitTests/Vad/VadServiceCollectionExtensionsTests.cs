using Gateway.Core.Configuration;
using Gateway.Core.Vad;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.UnitTests.Vad;

public sealed class VadServiceCollectionExtensionsTests
{
    [Fact(Timeout = 30_000)]
    public async Task AddGatewayVad_HostStarts_SchedulerLoadsModel()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vad:Workers"] = "1" }).Build();
        await using var services = new ServiceCollection().AddLogging().AddGatewayVad(configuration).BuildServiceProvider();
        OptionsCheck.Run(services);
        var scheduler = services.GetRequiredService<VadScheduler>();
        var hosted = Assert.Single(services.GetServices<IHostedService>());

        await hosted.StartAsync(cts.Token);

        Assert.Same(scheduler, hosted);
        Assert.True(scheduler.IsModelLoaded);
        await hosted.StopAsync(cts.Token);
    }

    [Fact]
    public void AddGatewayVad_BadValuesInBothSections_ReportsThemAllAtOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vad:MaxBatch"] = "0",
            ["Segmenter:EndpointSilenceMs"] = "20000",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddGatewayVad(configuration).BuildServiceProvider();

        var error = Assert.Throws<InvalidGatewayConfigurationException>(() => OptionsCheck.Run(services));

        Assert.Contains("Vad:MaxBatch must be between 1 and 1024 (was 0).", error.Failures);
        Assert.Contains("Segmenter:EndpointSilenceMs must be between 100 and 5000 (was 20000).", error.Failures);
    }
}
