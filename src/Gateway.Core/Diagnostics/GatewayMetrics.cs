using System.Diagnostics.Metrics;
using Gateway.Core.Admission;

namespace Gateway.Core.Diagnostics;

/// <summary>
/// The gateway's own instruments (Meter <c>Gateway</c>), exported at <c>/metrics</c> in Prometheus format.
/// Created through <see cref="IMeterFactory"/> so each host (and each test host) has its own.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _admitted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _disconnected;
    private readonly Counter<long> _sessionErrors;
    private readonly Counter<long> _clientGone;
    private readonly Counter<long> _overflowSamples;
    private readonly Counter<long> _audioSamples;
    private readonly Counter<long> _segments;
    private readonly Counter<long> _replays;
    private readonly Histogram<double> _leaseWait;
    private readonly Histogram<double> _finalLatency;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _admitted = _meter.CreateCounter<long>("gateway.admission.admitted", "{session}", "Sessions admitted.");
        _rejected = _meter.CreateCounter<long>("gateway.admission.rejected", "{session}", "Connections refused, by reason.");
        _disconnected = _meter.CreateCounter<long>("gateway.admission.disconnected", "{session}", "Sessions ended, by reason.");
        _sessionErrors = _meter.CreateCounter<long>("gateway.session.errors", "{error}", "Client errors, by error code.");
        _clientGone = _meter.CreateCounter<long>("gateway.connections.client_gone", "{connection}", "Connections the client dropped before its session started, by endpoint.");
        _overflowSamples = _meter.CreateCounter<long>("gateway.audio.overflow_samples", "{sample}", "16 kHz samples dropped because a session's ring was full.");
        _audioSamples = _meter.CreateCounter<long>("gateway.audio.samples", "{sample}", "16 kHz samples accepted into session rings.");
        _segments = _meter.CreateCounter<long>("gateway.dispatch.segments", "{segment}", "Speech segments by outcome (completed, failed).");
        _replays = _meter.CreateCounter<long>("gateway.dispatch.replays", "{segment}", "Segments replayed on a new upstream connection, by the failure that caused it.");
        _leaseWait = _meter.CreateHistogram<double>("gateway.dispatch.lease_wait", "s", "Time from speech start to an upstream connection.");
        _finalLatency = _meter.CreateHistogram<double>("gateway.dispatch.final_latency", "s", "Time from the end-of-speech decision to the final sent.");
        _meter.CreateObservableGauge("gateway.process.managed_heap", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last GC.");
        _meter.CreateObservableGauge("gateway.process.working_set", () => Environment.WorkingSet, "By", "Resident memory of the process.");
        _meter.CreateObservableCounter("gateway.process.cpu", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "CPU time used by the process (user + kernel).");
    }

    public Meter Meter => _meter;

    public void ObserveActiveSessions(Func<int> active) =>
        _meter.CreateObservableGauge("gateway.admission.active", active, "{session}", "Sessions holding a slot now.");

    public void ObserveDetachedSessions(Func<int> detached) =>
        _meter.CreateObservableGauge("gateway.sessions.detached", detached, "{session}", "Sessions whose connection dropped, holding their slot while they wait for a resume.");

    public void Admitted() => _admitted.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Disconnected(DisconnectReason reason) =>
        _disconnected.Add(1, new KeyValuePair<string, object?>("reason", reason.Name()));

    /// <summary>A client hung up before its session started (no close handshake): its doing, not ours.</summary>
    public void ClientGone(string endpoint) => _clientGone.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void SessionError(string code) => _sessionErrors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void SegmentCompleted(double finalLatencySeconds)
    {
        _segments.Add(1, new KeyValuePair<string, object?>("outcome", "completed"));
        _finalLatency.Record(finalLatencySeconds);
    }

    public void SegmentFailed() => _segments.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));

    public void SegmentReplayed(Gateway.Upstream.UpstreamError error) => _replays.Add(1, new KeyValuePair<string, object?>("error", error.ToString()));

    public void LeaseWait(double seconds) => _leaseWait.Record(seconds);

    public void AudioAccepted(long samples, long dropped)
    {
        _audioSamples.Add(samples);
        if (dropped > 0)
        {
            _overflowSamples.Add(dropped);
        }
    }
}
