using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;

namespace Gateway.Upstream.Tests.Pooling;

public class MetricsTests
{
    [Fact(Timeout = 20000)]
    public async Task StartUtteranceAsync_Completes_PublishesGatewayUpstreamMeter()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        // A meter factory of our own: parallel tests' clients publish meters with the same name.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim), meterFactory: meters);
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Gateway.Upstream" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument i, double v)
        {
            lock (seen)
            {
                seen[i.Name] = seen.GetValueOrDefault(i.Name) + v;
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, _, _) => Record(i, v));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => Record(i, 1));
        listener.Start();

        var start = await client.StartUtteranceAsync();
        await using (var utterance = start.Utterance!)
        {
            await SimulatorFixture.RunAsync(utterance, SimulatorFixture.Audio(1, 9), 3200);
        }

        Assert.Equal(1, seen["gateway.upstream.requests"]);
        Assert.Equal(1, seen["gateway.upstream.succeeded"]);
        Assert.Equal(1, seen["gateway.upstream.pool.connects"]);
        Assert.True(seen["gateway.upstream.phase.duration"] >= 8);
        var phases = client.GetStatistics().Phases;
        Assert.All(phases, p => Assert.True(p.Value.Count > 0, $"{p.Key} was never recorded"));
    }
}
