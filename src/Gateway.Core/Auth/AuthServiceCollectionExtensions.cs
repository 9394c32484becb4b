using Gateway.Core.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Core.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>The <c>Auth</c> section, the keys, grants and quotas.</summary>
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayOptions<AuthOptions, AuthOptionsValidator>(configuration, AuthOptions.Section);
        services.TryAddSingleton<ApiKeys>();
        services.TryAddSingleton<GrantTokens>();
        services.TryAddSingleton<Quotas>();
        services.TryAddSingleton<KeyRevocations>();
        services.TryAddSingleton<Authenticator>();
        services.TryAddSingleton<StartMessageAuth>();
        return services;
    }

    /// <summary>After routing and WebSockets, before the endpoints: every request is checked in this one place.</summary>
    public static IApplicationBuilder UseGatewayAuth(this IApplicationBuilder app) => app.UseMiddleware<AuthMiddleware>();
}
