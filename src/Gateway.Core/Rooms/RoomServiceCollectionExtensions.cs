using Gateway.Core.Configuration;
using Gateway.Core.Redis;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Rooms;

public static class RoomServiceCollectionExtensions
{
    /// <summary>Rooms, on the shared bus with Redis configured (needs <c>AddGatewayRedis</c> first), else in process.</summary>
    public static IServiceCollection AddGatewayRooms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<RoomOptions, RoomOptionsValidator>(configuration, RoomOptions.Section);
        services.TryAddSingleton<RoomMetrics>();
        // The shared bus when the gateway is one of a fleet (Redis:Configuration), else the in-process one.
        services.TryAddSingleton<IRoomBus>(sp => sp.GetRequiredService<RedisConnection>().Enabled
            ? ActivatorUtilities.CreateInstance<RedisRoomBus>(sp)
            : ActivatorUtilities.CreateInstance<LocalRoomBus>(sp));
        services.TryAddSingleton<RoomRegistry>();
        services.TryAddSingleton<ISessionAttachments>(sp => sp.GetRequiredService<RoomRegistry>());
        return services;
    }
}
