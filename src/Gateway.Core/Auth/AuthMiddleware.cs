using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

/// <summary>
/// Every request passes here once, after routing: origin check and CORS, security headers, then (auth on) the
/// credential, the endpoint's scope and the key's quotas. Refusals are plain HTTP before any upgrade: 401 no or bad
/// credential, 403 wrong scope or origin, 429 with <c>Retry-After</c> over quota; each with <c>dg-error</c> and
/// Deepgram's <c>{err_code, err_msg}</c> body, which every client can read.
/// </summary>
public sealed partial class AuthMiddleware
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private readonly RequestDelegate _next;
    private readonly AuthOptions _options;
    private readonly ApiKeys _keys;
    private readonly Authenticator _auth;
    private readonly Quotas _quotas;
    private readonly IServer _server;
    private readonly ILogger<AuthMiddleware> _logger;
    private readonly IPNetwork[] _funAsrNetworks;
    private bool? _enabled;

    public AuthMiddleware(RequestDelegate next, IOptions<AuthOptions> options, ApiKeys keys, Authenticator auth, Quotas quotas, IServer server, ILogger<AuthMiddleware> logger)
    {
        _next = next;
        _options = options.Value;
        _keys = keys;
        _auth = auth;
        _quotas = quotas;
        _server = server;
        _logger = logger;
        _funAsrNetworks = _options.FunAsrNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
    }

    /// <summary>Auth:Enabled, or (unset) on unless every listening address is loopback. Decided at the first request, once the addresses are bound.</summary>
    public bool Enabled => _enabled ??= Resolve();

    public async Task InvokeAsync(HttpContext context)
    {
        AddSecurityHeaders(context.Response);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(context.Request, origin))
        {
            if (!_options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "FORBIDDEN_ORIGIN", $"origin {origin} is not allowed (Auth:AllowedOrigins)");
                return;
            }

            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.Vary = "Origin";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.Headers.AccessControlAllowMethods = "GET, POST, DELETE, OPTIONS";
                context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
                context.Response.Headers.AccessControlExposeHeaders = "dg-request-id, dg-error, Retry-After";
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }

        var endpoint = context.GetEndpoint();
        if (!Enabled || endpoint is null || endpoint.Metadata.GetMetadata<AnonymousAccess>() is { } open && (!open.PagesOnly || !context.WebSockets.IsWebSocketRequest))
        {
            await _next(context);
            return;
        }

        var scope = endpoint.Metadata.GetMetadata<RequiredScope>()?.Scope ?? Scopes.Admin;
        if ((scope == Scopes.Metrics && _options.MetricsOpen) || IsTrustedFunAsrClient(context, endpoint))
        {
            await _next(context);
            return;
        }

        var credential = Credentials.Find(context.Request);
        if (credential is null && origin.Length > 0 && context.WebSockets.IsWebSocketRequest && endpoint.Metadata.GetMetadata<StartMessageCredential>() is not null)
        {
            // A browser page (it sends Origin, checked above) may put its credential in the start message, as it can set
            // no header and keeps keys out of URLs: the endpoint checks it after the upgrade. Any other client can set
            // a header or ?token=, so without one it is refused here, before the upgrade, like on every other endpoint.
            context.Features.Set(new DeferredAuth(scope));
            await _next(context);
            return;
        }

        var caller = _auth.Authenticate(credential, out var refusal);
        if (caller is null)
        {
            Log.Refused(_logger, context.Request.Path, refusal!.Message);
            await RefuseAsync(context, refusal);
            return;
        }

        if ((_auth.CheckScope(caller, scope) ?? CheckRoom(context, caller, scope)) is { } denied)
        {
            await RefuseAsync(context, denied);
            return;
        }

        context.Features.Set(caller);
        await WithQuotasAsync(context, caller, endpoint);
    }

    /// <summary>
    /// A room grant reaches its room's routes, and streams (the session checks the room it joins); nothing else.
    /// </summary>
    private AuthRefusal? CheckRoom(HttpContext context, Caller caller, string scope)
    {
        if (caller.Room is null)
        {
            return null;
        }

        if (context.Request.RouteValues.TryGetValue("room", out var room))
        {
            return _auth.CheckRoom(caller, room as string);
        }

        return scope == Scopes.Stream && context.WebSockets.IsWebSocketRequest ? null : _auth.CheckRoom(caller, null);
    }

    private async Task WithQuotasAsync(HttpContext context, Caller caller, Endpoint endpoint)
    {
        var key = _keys.Find(caller.KeyName)!;
        var usage = _quotas.For(caller.KeyName);
        var today = _quotas.Today;
        if (context.WebSockets.IsWebSocketRequest)
        {
            var (opened, refusal) = await _auth.TryOpenSessionAsync(caller);
            if (opened is null)
            {
                await RefuseAsync(context, refusal!);
                return;
            }

            using var session = opened;

            context.Features.Set(session.Access);
            // A session ends itself on revocation (key_revoked); any other connection (a room viewer) is cut.
            using var revoked = session.Access.Revoked.Register(static state =>
            {
                var (access, http) = ((SessionAccess, HttpContext))state!;
                if (!access.Claimed)
                {
                    http.Abort();
                }
            }, (session.Access, context));
            await _next(context);
            return;
        }

        var declared = context.Request.ContentLength ?? 0;
        if (key.UploadBytesPerDay > 0 && usage.UploadBytes(today) + declared > key.UploadBytesPerDay)
        {
            usage.Refused();
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" would exceed its {key.UploadBytesPerDay} upload bytes for today", _quotas.UntilReset);
            return;
        }

        var createsJob = endpoint.Metadata.GetMetadata<CreatesJob>() is not null;
        if (createsJob && _auth.TryStartJob(caller) is { } overJobs)
        {
            await RefuseAsync(context, overJobs);
            return;
        }

        var body = new CountingStream(context.Request.Body);
        context.Request.Body = body;
        try
        {
            await _next(context);
        }
        finally
        {
            usage.AddUpload(_quotas.Today, body.BytesRead);
            if (createsJob && context.Response.StatusCode is < 200 or >= 300)
            {
                _auth.JobNotCreated(caller);
            }
        }
    }

    private bool IsTrustedFunAsrClient(HttpContext context, Endpoint endpoint) =>
        _options.FunAsr == FunAsrAuthModes.Network
        && endpoint.Metadata.GetMetadata<FunAsrClients>() is not null
        && context.Connection.RemoteIpAddress is { } remote
        && _funAsrNetworks.Any(n => n.Contains(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote));

    private bool Resolve()
    {
        if (_options.Enabled is { } configured)
        {
            return configured;
        }

        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var loopbackOnly = addresses.Count > 0 && addresses.All(IsLoopback);
        if (!loopbackOnly)
        {
            Log.AuthOnByBind(_logger, string.Join(", ", addresses), _keys.Count);
        }

        return !loopbackOnly;
    }

    internal static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static void AddSecurityHeaders(HttpResponse response) =>
        response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (((HttpResponse)state).ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        }, response);

    /// <summary>A refusal as plain HTTP before any upgrade (the start-message path closes the socket instead).</summary>
    public static Task RefuseAsync(HttpContext context, AuthRefusal refusal) =>
        RefuseAsync(context, refusal.Status, refusal.Code, refusal.Message, refusal.RetryAfter);

    private static async Task RefuseAsync(HttpContext context, int status, string code, string message, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["dg-error"] = message;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Token";
        }

        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("err_code", code);
        json.WriteString("err_msg", message);
        json.WriteEndObject();
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.AuthRefused, LogLevel.Information, "Request to {Path} refused: {Problem}")]
        public static partial void Refused(ILogger logger, string path, string problem);

        [LoggerMessage(Diagnostics.EventIds.AuthOnByBind, LogLevel.Warning, "Authentication is on because the gateway listens beyond loopback ({Addresses}); {Keys} key(s) configured. Set Auth:Keys, or Auth:Enabled=false to run open.")]
        public static partial void AuthOnByBind(ILogger logger, string addresses, int keys);
    }
}
