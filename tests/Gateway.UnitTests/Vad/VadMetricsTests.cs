using System.Diagnostics.Metrics;
using Gateway.Core.Audio;
using Gateway.Core.Vad;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Vad;

public sealed class VadMetricsTests
{
    [Fact]
    public void RunOnce_GatedSilenceAndSpeech_CountsWindowsGatedBatchesAndLag()
    {
        using var factory = new TestMeterFactory();
        var totals = new Dictionary<string, double>();
        using var listener = new MeterListener
        {
            // Only this test's scheduler: tests run in parallel and every scheduler uses the meter name Gateway.Vad.
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => Add(i.Name, v));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => Add(i.Name, v));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => Add(i.Name, v));
        listener.Start();
        using var scheduler = new VadScheduler(
            Options.Create(new VadOptions { Workers = 1, MaxWindowsPerStreamPerTick = 16, EnergyGate = new EnergyGateOptions { Enabled = true } }),
            TimeProvider.System,
            NullLogger<VadScheduler>.Instance,
            factory);
        var ring = new AudioRing(16_000);
        using var handle = scheduler.Register(ring, new RecordingSink());
        ring.Write(new short[4 * 512]); // silent: gated
        ring.Write(SpeechFixture.Load("three_utterances").Samples.AsSpan(12_000, 2 * 512)); // speech: inferred
        ring.Write(new short[100]); // a partial window stays waiting

        scheduler.RunOnce();

        lock (totals)
        {
            Assert.Equal(6, totals["gateway.vad.windows"]);
            Assert.Equal(4, totals["gateway.vad.windows.gated"]);
            Assert.Equal(2, totals["gateway.vad.batches"]); // one round per window of the only stream
            Assert.Equal(2, totals["gateway.vad.batch_size"]);
            Assert.True(totals["gateway.vad.lag"] > 0); // the waiting 100 samples count as lag
        }

        void Add(string name, double value)
        {
            lock (totals)
            {
                totals[name] = totals.GetValueOrDefault(name) + value;
            }
        }
    }

    [Fact]
    public void RunOnce_FileJobStream_ClassifiedButNotCountedAsLag()
    {
        using var factory = new TestMeterFactory();
        var lag = 0;
        var windows = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, _, _, _) =>
        {
            if (i.Name == VadMetrics.LagInstrument)
            {
                Interlocked.Increment(ref lag);
            }
        });
        listener.SetMeasurementEventCallback<long>((i, v, _, _) =>
        {
            if (i.Name == "gateway.vad.windows")
            {
                Interlocked.Add(ref windows, v);
            }
        });
        listener.Start();
        using var scheduler = new VadScheduler(
            Options.Create(new VadOptions { Workers = 1, MaxWindowsPerStreamPerTick = 16 }),
            TimeProvider.System,
            NullLogger<VadScheduler>.Instance,
            factory);
        var ring = new AudioRing(16_000);
        using var handle = scheduler.Register(ring, new RecordingSink(), live: false);
        ring.Write(SpeechFixture.Load("three_utterances").Samples.AsSpan(12_000, 4 * 512));
        ring.Write(new short[100]); // waiting: lag for a live stream, a file's backlog here

        scheduler.RunOnce();

        Assert.Equal(4, Interlocked.Read(ref windows));
        Assert.Equal(0, Volatile.Read(ref lag));
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
