using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Core.Redis;

/// <summary>
/// The one connection to the fleet's Redis (<see cref="RedisOptions.Configuration"/>): a multiplexer opened on first
/// use and shared by every feature (room bus, room seats, fleet admission). It never fails the start: a Redis that is
/// down is reported by <c>/readyz</c> and each feature's own behaviour (docs/scale-out.md §5).
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer>? _multiplexer;

    public RedisConnection(IOptions<RedisOptions> options)
    {
        var value = options.Value;
        Prefix = value.Prefix;
        InstanceLease = value.InstanceLease;
        if (value.Configuration is { } configuration)
        {
            _multiplexer = new Lazy<ConnectionMultiplexer>(() =>
            {
                var config = ConfigurationOptions.Parse(configuration);
                config.AbortOnConnectFail = false; // start while Redis is down; reconnect in the background
                return ConnectionMultiplexer.Connect(config);
            });
        }
    }

    /// <summary>True when <c>Redis:Configuration</c> is set: the gateway is one of a fleet.</summary>
    public bool Enabled => _multiplexer is not null;

    public string Prefix { get; }

    public TimeSpan InstanceLease { get; }

    /// <exception cref="InvalidOperationException">Redis is not configured.</exception>
    public IConnectionMultiplexer Multiplexer => (_multiplexer ?? throw new InvalidOperationException("Redis:Configuration is not set")).Value;

    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>A key or channel name under the prefix: <c>prefix:part</c>.</summary>
    public string Key(string part) => $"{Prefix}:{part}";

    /// <summary>One round trip; false when Redis does not answer in time (never throws).</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        if (_multiplexer is null)
        {
            return true;
        }

        try
        {
            await Database.PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_multiplexer is { IsValueCreated: true })
        {
            _multiplexer.Value.Dispose();
        }
    }
}
