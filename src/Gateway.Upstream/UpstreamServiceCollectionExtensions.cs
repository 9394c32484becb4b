using Gateway.Upstream.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

public static class UpstreamServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="UpstreamOptions"/> bound strictly from <paramref name="section"/> (unknown keys are errors),
    /// its validator (checked at start), the <see cref="UpstreamClient"/> singleton, and a hosted service that warms
    /// every endpoint up to MinIdle at start without blocking it.
    /// </summary>
    public static IServiceCollection AddFunAsrUpstream(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<UpstreamOptions>()
            .Configure(o => section.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true));
        return services.AddFunAsrUpstream();
    }

    /// <summary>
    /// The same without binding, for hosts that bind <see cref="UpstreamOptions"/> themselves (binding twice would
    /// append every list, Endpoints included, twice). Registers the validator (checked at start), the client and warm-up.
    /// </summary>
    public static IServiceCollection AddFunAsrUpstream(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<UpstreamOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpstreamOptions>, UpstreamOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UpstreamClient>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UpstreamWarmUpService>());
        return services;
    }
}
