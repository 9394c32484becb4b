using Gateway.Core.Configuration;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Rooms;

public static class RoomServiceCollectionExtensions
{
    /// <summary>Rooms with the in-process bus; a shared bus replaces <see cref="IRoomBus"/> before this runs.</summary>
    public static IServiceCollection AddGatewayRooms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<RoomOptions, RoomOptionsValidator>(configuration, RoomOptions.Section);
        services.TryAddSingleton<RoomMetrics>();
        services.TryAddSingleton<IRoomBus, LocalRoomBus>();
        services.TryAddSingleton<RoomRegistry>();
        services.TryAddSingleton<ISessionAttachments>(sp => sp.GetRequiredService<RoomRegistry>());
        return services;
    }
}
