using System.Diagnostics.Metrics;

namespace Gateway.Core.Rooms;

/// <summary>Room instruments (Meter <c>Gateway.Rooms</c>), exported at <c>/metrics</c> with the gateway's own.</summary>
public sealed class RoomMetrics
{
    public const string MeterName = "Gateway.Rooms";

    private readonly Meter _meter;
    private readonly Counter<long> _fanOut;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _events;
    private readonly Counter<long> _busErrors;
    private readonly Histogram<double> _captionLatency;

    public RoomMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _fanOut = _meter.CreateCounter<long>("gateway.rooms.fanout_messages", "{message}", "Room events queued for viewers (one per event per viewer).");
        _events = _meter.CreateCounter<long>("gateway.rooms.events", "{event}", "Room events published, by type.");
        _dropped = _meter.CreateCounter<long>("gateway.rooms.dropped_viewers", "{viewer}", "Viewers dropped because their queue was full.");
        _errors = _meter.CreateCounter<long>("gateway.rooms.errors", "{error}", "Refused room requests, by error code.");
        _busErrors = _meter.CreateCounter<long>("gateway.rooms.bus_errors", "{error}", "Room events or gap reads the shared bus (Redis) did not take.");
        _captionLatency = _meter.CreateHistogram<double>("gateway.rooms.caption_latency", "ms", "Time from a participant's end of speech to its final queued for the room's viewers.");
    }

    public void Observe(Func<int> rooms, Func<int> participants, Func<int> viewers)
    {
        _meter.CreateObservableGauge("gateway.rooms.active", rooms, "{room}", "Rooms that exist now (lingering ones included).");
        _meter.CreateObservableGauge("gateway.rooms.participants", participants, "{participant}", "Participants in rooms now.");
        _meter.CreateObservableGauge("gateway.rooms.viewers", viewers, "{viewer}", "Viewers following rooms now.");
    }

    public void FannedOut(int viewers)
    {
        if (viewers > 0)
        {
            _fanOut.Add(viewers);
        }
    }

    public void Published(RoomEventKind kind) => _events.Add(1, new KeyValuePair<string, object?>("type", RoomEventWriter.TypeName(kind)));

    public void ViewerDropped() => _dropped.Add(1);

    public void BusFailed() => _busErrors.Add(1);

    public void Error(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void CaptionLatency(double milliseconds) => _captionLatency.Record(milliseconds);
}
