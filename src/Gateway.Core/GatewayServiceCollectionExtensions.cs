using Gateway.Core.Admission;
using Gateway.Core.Configuration;
using Gateway.Core.Diagnostics;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Protocols.WhisperLive;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core;

/// <summary>Composition of the engine: options, admission, sessions, protocols, metrics.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<AdmissionOptions, AdmissionOptionsValidator>(configuration, AdmissionOptions.Section);
        services.AddGatewayOptions<SessionOptions, SessionOptionsValidator>(configuration, SessionOptions.Section);
        services.AddGatewayOptions<WhisperLiveOptions, WhisperLiveOptionsValidator>(configuration, WhisperLiveOptions.Section);
        services.AddGatewayOptions<FunAsrEndpointOptions, FunAsrEndpointOptionsValidator>(configuration, FunAsrEndpointOptions.Section);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<ClientManager>();
        services.TryAddSingleton<SessionServices>();
        services.TryAddSingleton<SessionHost>();
        services.TryAddSingleton<SessionProtocols>();
        services.TryAddSingleton<ISpeechPipelineFactory, DiscardingPipelineFactory>();
        return services;
    }
}
