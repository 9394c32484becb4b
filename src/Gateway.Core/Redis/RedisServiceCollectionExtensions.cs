using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>The <c>Redis</c> section and the shared connection (unused while <c>Redis:Configuration</c> is not set).</summary>
    public static IServiceCollection AddGatewayRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<RedisOptions, RedisOptionsValidator>(configuration, RedisOptions.Section);
        services.TryAddSingleton<RedisConnection>();
        return services;
    }
}
