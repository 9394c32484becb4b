using System.Diagnostics.Metrics;

namespace Gateway.Core.Vad;

/// <summary>Instruments of the <c>Gateway.Vad</c> meter. Recording allocates nothing (no tags).</summary>
internal sealed class VadMetrics : IDisposable
{
    public const string MeterName = "Gateway.Vad";
    public const string LagInstrument = "gateway.vad.lag";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public VadMetrics(IMeterFactory? meterFactory, Func<int> activeStreams)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Windows = _meter.CreateCounter<long>("gateway.vad.windows", "{window}", "Windows classified (inferred or gated).");
        GatedWindows = _meter.CreateCounter<long>("gateway.vad.windows.gated", "{window}", "Windows the energy gate classified as silence without inference.");
        LostWindows = _meter.CreateCounter<long>("gateway.vad.windows.lost", "{window}", "Windows released from the ring before the VAD read them.");
        Peeks = _meter.CreateCounter<long>("gateway.vad.peeks", "{window}", "Windows classified ahead of a whole window at a sink's peek position (the segmenter's endpoint).");
        Batches = _meter.CreateCounter<long>("gateway.vad.batches", "{call}", "ONNX calls.");
        BatchSize = _meter.CreateHistogram<int>("gateway.vad.batch_size", "{window}", "Windows per ONNX call.");
        Lag = _meter.CreateHistogram<double>(LagInstrument, "ms", "Audio received minus audio classified, per classified window.");
        TickDuration = _meter.CreateHistogram<double>("gateway.vad.tick.duration", "ms", "Time to classify everything available at a tick.");
        _meter.CreateObservableGauge("gateway.vad.streams", activeStreams, "{stream}", "Streams registered with the VAD.");
    }

    public Counter<long> Windows { get; }

    public Counter<long> GatedWindows { get; }

    public Counter<long> LostWindows { get; }

    public Counter<long> Peeks { get; }

    public Counter<long> Batches { get; }

    public Histogram<int> BatchSize { get; }

    public Histogram<double> Lag { get; }

    public Histogram<double> TickDuration { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
