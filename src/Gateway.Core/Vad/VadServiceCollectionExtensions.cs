using Gateway.Core.Configuration;
using Gateway.Core.Segmentation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Vad;

public static class VadServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Vad</c> and <c>Segmenter</c> sections (strict binding, start-up validation), the shared
    /// <see cref="VadScheduler"/> and a hosted service that loads the model and starts its tick.
    /// </summary>
    public static IServiceCollection AddGatewayVad(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<VadOptions, VadOptionsValidator>(configuration, VadOptionsValidator.Section);
        services.AddGatewayOptions<SegmenterOptions, SegmenterOptionsValidator>(configuration, SegmenterOptionsValidator.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VadScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<VadScheduler>());
        return services;
    }
}
