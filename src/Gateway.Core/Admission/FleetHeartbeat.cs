using Gateway.Core.Diagnostics;
using Gateway.Core.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Core.Admission;

/// <summary>
/// Renews this gateway's lease in Redis every third of <c>Redis:InstanceLease</c> (<see cref="FleetSlots.RenewAsync"/>):
/// the instance key that tells other gateways this one is alive (fleet admission, room membership), and the slots it
/// holds. Runs whenever <c>Redis:Configuration</c> is set; a failed beat is logged once per outage and retried on the
/// next tick. The first beat is awaited in <see cref="StartAsync"/>, before the server accepts a client, so the instance
/// key exists before this gateway seats a speaker name or holds a room. On stop, one last beat writes the slots still
/// held (none once the sessions have drained).
/// </summary>
public sealed partial class FleetHeartbeat : BackgroundService
{
    private readonly FleetSlots _slots;
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _failing;

    public FleetHeartbeat(FleetSlots slots, RedisConnection redis, TimeProvider time, ILogger<FleetHeartbeat> logger)
    {
        _slots = slots;
        _redis = redis;
        _time = time;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis.Enabled)
        {
            await BeatAsync();
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_redis.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(_redis.InstanceLease / 3, _time);
        while (await WaitAsync(timer, stoppingToken))
        {
            await BeatAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_redis.Enabled && _redis.Multiplexer.IsConnected)
        {
            await BeatAsync();
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            await _slots.RenewAsync();
            _failing = false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (!_failing)
            {
                _failing = true;
                Log.Failed(_logger, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.FleetHeartbeatFailed, LogLevel.Warning, "Fleet heartbeat failed ({Problem}); retrying every beat")]
        public static partial void Failed(ILogger logger, string problem);
    }
}
