using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration;

/// <summary>Binds an options section strictly (unknown keys are errors) and registers its validator for the start-up check.</summary>
public static class GatewayOptionsRegistration
{
    public static IServiceCollection AddGatewayOptions<TOptions, TValidator>(
        this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section), binder => binder.ErrorOnUnknownConfiguration = true);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.AddSingleton(new OptionsCheck(section, sp => sp.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }
}
