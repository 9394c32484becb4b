using Gateway.Core.Diagnostics;
using Gateway.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Dispatch;

/// <summary>
/// What every session's dispatcher shares: the upstream, the priority gate, the gateway-wide queue of segments
/// waiting for a connection and budget of held audio, options, clock, metrics.
/// </summary>
public sealed class DispatchServices
{
    public DispatchServices(
        UpstreamClient upstream,
        PriorityGate priority,
        IOptions<DispatchOptions> options,
        TimeProvider time,
        GatewayMetrics metrics,
        ILogger<DispatchServices> logger)
        : this(new PooledUpstream(upstream), priority, options.Value, time, metrics, logger)
    {
    }

    internal DispatchServices(IUpstream upstream, PriorityGate priority, DispatchOptions options, TimeProvider time, GatewayMetrics metrics, ILogger logger)
    {
        Upstream = upstream;
        Priority = priority;
        Options = options;
        Time = time;
        Metrics = metrics;
        Logger = logger;
        Hold = new HoldBudget(options.GatewayHoldBytes);
    }

    internal IUpstream Upstream { get; }

    public PriorityGate Priority { get; }

    /// <summary>Segments waiting for a connection, across sessions, oldest first.</summary>
    public LeaseQueue Queue { get; } = new();

    /// <summary>Audio held gateway-wide while the upstream is failing or away.</summary>
    public HoldBudget Hold { get; }

    public DispatchOptions Options { get; }

    public TimeProvider Time { get; }

    public GatewayMetrics Metrics { get; }

    public ILogger Logger { get; }

    /// <summary>Timestamp (TimeProvider) of the last final any session received; 0 before the first.</summary>
    public long LastFinalAt => Volatile.Read(ref _lastFinalAt);

    private long _lastFinalAt;

    internal void FinalDelivered() => Volatile.Write(ref _lastFinalAt, Time.GetTimestamp());
}
