using Microsoft.AspNetCore.Builder;

namespace Gateway.Core.Auth;

/// <summary>The scope an endpoint needs (endpoint metadata read by <see cref="AuthMiddleware"/>).</summary>
public sealed record RequiredScope(string Scope);

/// <summary>
/// An endpoint anyone may call, with auth on (health probes, the caption page's files). <paramref name="PagesOnly"/>:
/// plain HTTP requests only; a WebSocket upgrade on the same route still needs its scope (the root path serves the
/// page and accepts streams).
/// </summary>
public sealed record AnonymousAccess(bool PagesOnly = false);

/// <summary>An endpoint FunASR clients use: <c>Auth:FunAsr=network</c> lets listed networks in without a token.</summary>
public sealed record FunAsrClients;

/// <summary>
/// A WebSocket endpoint whose clients may send the credential in their first message (the native <c>start</c>'s
/// <c>token</c>): an upgrade without any credential is let through with <see cref="DeferredAuth"/> set, and the
/// endpoint authenticates the first message before the session starts.
/// </summary>
public sealed record StartMessageCredential;

/// <summary>Set on an upgrade let through without a credential (<see cref="StartMessageCredential"/>): the scope the endpoint must still check.</summary>
public sealed record DeferredAuth(string Scope);

/// <summary>An endpoint that creates a file job: counted against the key's <c>JobsPerHour</c> when it succeeds.</summary>
public sealed record CreatesJob;

/// <summary>
/// One annotation per endpoint or group, the only thing an endpoint adds to be covered:
/// <c>app.MapGet(...).RequireScope(Scopes.Jobs)</c>. An endpoint without one needs <see cref="Scopes.Admin"/>.
/// </summary>
public static class EndpointAccessExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RequiredScope(scope));

    public static TBuilder AllowAnonymousCaller<TBuilder>(this TBuilder builder, bool pagesOnly = false)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AnonymousAccess(pagesOnly));

    public static TBuilder AcceptsStartMessageCredential<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new StartMessageCredential());

    public static TBuilder CountsAsJob<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new CreatesJob());

    public static TBuilder AcceptsFunAsrClients<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new FunAsrClients());
}
