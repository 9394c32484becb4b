using Gateway.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Ingest;

public static class IngestServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayIngests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<IngestOptions, IngestOptionsValidator>(configuration, IngestOptions.Section);
        services.TryAddSingleton<IngestRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestRegistry>());
        return services;
    }
}
