using Gateway.Core.Diagnostics;
using Gateway.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Dispatch;

/// <summary>What every session's dispatcher shares: the upstream pool, the priority gate, options, clock, metrics.</summary>
public sealed class DispatchServices
{
    public DispatchServices(
        UpstreamClient upstream,
        PriorityGate priority,
        IOptions<DispatchOptions> options,
        TimeProvider time,
        GatewayMetrics metrics,
        ILogger<DispatchServices> logger)
    {
        Upstream = upstream;
        Priority = priority;
        Options = options.Value;
        Time = time;
        Metrics = metrics;
        Logger = logger;
    }

    public UpstreamClient Upstream { get; }

    public PriorityGate Priority { get; }

    public DispatchOptions Options { get; }

    public TimeProvider Time { get; }

    public GatewayMetrics Metrics { get; }

    public ILogger Logger { get; }
}
