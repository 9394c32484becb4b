using System.Diagnostics.Metrics;
using Gateway.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.UnitTests.Diagnostics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Render_MillisecondHistogram_UsesMillisecondBuckets()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(factory);
        var histogram = factory.Create("Gateway.Test").CreateHistogram<double>("gateway.test.lag", "ms");

        histogram.Record(40);
        histogram.Record(400);
        var text = exporter.Render();

        Assert.Contains("gateway_test_lag_milliseconds_bucket{le=\"50\"} 1", text);
        Assert.Contains("gateway_test_lag_milliseconds_bucket{le=\"500\"} 2", text);
        Assert.Contains("gateway_test_lag_milliseconds_count 2", text);
    }

    [Fact]
    public void Render_TaggedCounterOfAnotherFactory_IsNotExported()
    {
        using var mine = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var theirs = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var exporter = new PrometheusExporter(mine.GetRequiredService<IMeterFactory>());
        mine.GetRequiredService<IMeterFactory>().Create("Gateway.Test").CreateCounter<long>("gateway.test.mine").Add(2, new KeyValuePair<string, object?>("reason", "a\"b"));
        theirs.GetRequiredService<IMeterFactory>().Create("Gateway.Test").CreateCounter<long>("gateway.test.theirs").Add(1);

        var text = exporter.Render();

        Assert.Contains("gateway_test_mine_total{reason=\"a\\\"b\"} 2", text);
        Assert.DoesNotContain("gateway_test_theirs", text);
    }

    [Fact]
    public void Render_MeterDisposedWhileObserving_DropsItsMeasurements()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var exporter = new PrometheusExporter(services.GetRequiredService<IMeterFactory>());
        // An unscoped meter (as a component built without a factory makes) disposed by another thread mid-scrape:
        // here the first gauge's callback disposes it, so the others are observed after their subscription is gone.
        var meter = new Meter("Gateway.RaceTest");
        for (var n = 0; n < 4; n++)
        {
            meter.CreateObservableGauge($"gateway.race.g{n}", () => { meter.Dispose(); return 1; });
        }

        var text = exporter.Render();

        Assert.DoesNotContain("gateway_race", text);
    }
}
