using Gateway.Core.Admission;
using Gateway.Core.Configuration;
using Gateway.Core.Diagnostics;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core;

/// <summary>Composition of the engine: options, admission, sessions, metrics.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<AdmissionOptions, AdmissionOptionsValidator>(configuration, AdmissionOptions.Section);
        services.AddGatewayOptions<SessionOptions, SessionOptionsValidator>(configuration, SessionOptions.Section);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<ClientManager>();
        services.TryAddSingleton<SessionServices>();
        services.TryAddSingleton<SessionHost>();
        services.TryAddSingleton<ISpeechPipelineFactory, DiscardingPipelineFactory>();
        return services;
    }
}
