using Gateway.Core.Admission;
using Gateway.Core.Auth;
using Gateway.Core.Configuration;
using Gateway.Core.Diagnostics;
using Gateway.Core.Dispatch;
using Gateway.Core.Fetching;
using Gateway.Core.Net;
using Gateway.Core.Jobs;
using Gateway.Core.Pipeline;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.Deepgram;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Protocols.WhisperLive;
using Gateway.Core.Dashboard;
using Gateway.Core.Ingest;
using Gateway.Core.Instance;
using Gateway.Core.Redis;
using Gateway.Core.Rooms;
using Gateway.Core.Sessions;
using Gateway.Core.Vad;
using Gateway.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core;

/// <summary>Composition of the engine, in data-path order: admission, sessions and protocols, VAD, segmentation, dispatch, upstream.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<PrometheusExporter>();

        services.AddGatewayAuth(configuration);
        services.AddGatewayOptions<AdmissionOptions, AdmissionOptionsValidator>(configuration, AdmissionOptions.Section);
        services.TryAddSingleton<FleetSlots>();
        services.TryAddSingleton<ClientManager>();
        services.AddHostedService<FleetHeartbeat>();

        services.AddGatewayOptions<SessionOptions, SessionOptionsValidator>(configuration, SessionOptions.Section);
        services.TryAddSingleton<SessionServices>();
        services.TryAddSingleton<Gateway.Core.Resume.ResumeRegistry>();
        services.TryAddSingleton<SessionHost>();
        services.AddGatewayOptions<WhisperLiveOptions, WhisperLiveOptionsValidator>(configuration, WhisperLiveOptions.Section);
        services.AddGatewayOptions<FunAsrEndpointOptions, FunAsrEndpointOptionsValidator>(configuration, FunAsrEndpointOptions.Section);
        services.AddGatewayOptions<DeepgramOptions, DeepgramOptionsValidator>(configuration, DeepgramOptions.Section);
        services.TryAddSingleton<SessionProtocols>();
        services.TryAddSingleton<DeepgramSessions>();
        services.TryAddSingleton<DeepgramPrerecorded>();
        services.AddGatewayOptions<OutboundUrlOptions, OutboundUrlOptionsValidator>(configuration, OutboundUrlOptions.Section);
        services.TryAddSingleton<OutboundUrlPolicy>();
        services.AddGatewayOptions<FetchOptions, FetchOptionsValidator>(configuration, FetchOptions.Section);
        services.TryAddSingleton<SafeFetcher>();
        services.AddGatewayOptions<InstanceOptions, InstanceOptionsValidator>(configuration, InstanceOptions.Section);
        services.TryAddSingleton<GatewayInstance>();
        services.AddGatewayRedis(configuration);
        services.AddGatewayRooms(configuration);
        services.AddGatewayIngests(configuration);
        services.TryAddSingleton<GatewayShutdown>();
        services.TryAddSingleton<DashboardSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSampler>());
        services.AddHostedService(sp => sp.GetRequiredService<GatewayShutdown>());
        services.AddOptions<HostOptions>().PostConfigure<IOptions<SessionOptions>>((host, sessions) =>
        {
            var needed = GatewayShutdown.ShutdownTimeoutFor(sessions.Value);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });

        // The VAD tick is an engine clock, not a policy timer: it always runs on real time, so tests that fake the
        // clock for admission limits still get their audio classified. Registered before AddGatewayVad, which
        // then keeps it.
        services.TryAddSingleton(sp => new VadScheduler(
            sp.GetRequiredService<IOptions<VadOptions>>(),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<VadScheduler>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddGatewayVad(configuration);

        services.AddGatewayOptions<DispatchOptions, DispatchOptionsValidator>(configuration, DispatchOptions.Section);
        services.TryAddSingleton<PriorityGate>();
        services.TryAddSingleton<DispatchServices>();
        services.TryAddSingleton<ISpeechPipelineFactory, SpeechPipelineFactory>();

        services.AddGatewayJobs(configuration);

        services.AddFunAsrUpstream(configuration.GetSection("Upstream"));
        services.AddSingleton(new OptionsCheck("Upstream", sp => sp.GetRequiredService<IOptions<UpstreamOptions>>().Value));
        return services;
    }
}
