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
    private readonly GrantTokens _grants;
    private readonly Quotas _quotas;
    private readonly IServer _server;
    private readonly ILogger<AuthMiddleware> _logger;
    private readonly TimeProvider _time;
    private readonly IPNetwork[] _funAsrNetworks;
    private bool? _enabled;

    public AuthMiddleware(RequestDelegate next, IOptions<AuthOptions> options, ApiKeys keys, GrantTokens grants, Quotas quotas, IServer server, ILogger<AuthMiddleware> logger, TimeProvider time)
    {
        _next = next;
        _options = options.Value;
        _keys = keys;
        _grants = grants;
        _quotas = quotas;
        _server = server;
        _logger = logger;
        _time = time;
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

        var caller = Authenticate(context, out var problem);
        if (caller is null)
        {
            Log.Refused(_logger, context.Request.Path, problem);
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "INVALID_AUTH", problem);
            return;
        }

        if (scope != Scopes.AnyCaller && !caller.Has(scope))
        {
            _quotas.For(caller.KeyName).Refused();
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "INSUFFICIENT_PERMISSIONS", $"{(caller.ViaGrant ? "this grant" : $"key \"{caller.KeyName}\"")} lacks the \"{scope}\" scope");
            return;
        }

        context.Features.Set(caller);
        await WithQuotasAsync(context, caller);
    }

    private Caller? Authenticate(HttpContext context, out string problem)
    {
        var credential = Credentials.Find(context.Request);
        if (credential is null)
        {
            problem = "a key or grant is required: Authorization: Token KEY (or Bearer), the token WebSocket subprotocol, or ?token=";
            return null;
        }

        if (credential.StartsWith(GrantTokens.Prefix, StringComparison.Ordinal))
        {
            var granted = _grants.Verify(credential, out var grantProblem);
            if (granted is null)
            {
                problem = grantProblem!;
                return null;
            }

            if (_keys.Find(granted.KeyName) is null)
            {
                problem = "the key that issued this grant no longer exists";
                return null;
            }

            problem = "";
            return granted;
        }

        var key = _keys.Verify(credential);
        problem = key is null ? (_keys.Count == 0 ? "authentication is on and no keys are configured (Auth:Keys; docs/security.md)" : "invalid credentials") : "";
        return key is null ? null : new Caller(key.Name, key.Scopes.ToHashSet(StringComparer.Ordinal), ViaGrant: false);
    }

    private async Task WithQuotasAsync(HttpContext context, Caller caller)
    {
        var key = _keys.Find(caller.KeyName)!;
        var usage = _quotas.For(caller.KeyName);
        var today = _quotas.Today;
        if (context.WebSockets.IsWebSocketRequest)
        {
            if (key.StreamMinutesPerDay > 0 && usage.StreamMinutes(today) >= key.StreamMinutesPerDay)
            {
                usage.Refused();
                await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" used its {key.StreamMinutesPerDay} stream minutes for today", _quotas.UntilReset);
                return;
            }

            if (!usage.TryOpenSession(key.MaxSessions))
            {
                usage.Refused();
                await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" has its {key.MaxSessions} concurrent sessions open", TimeSpan.FromSeconds(5));
                return;
            }

            var started = _time.GetTimestamp();
            try
            {
                await _next(context);
            }
            finally
            {
                usage.CloseSession(_quotas.Today, _time.GetElapsedTime(started));
            }

            return;
        }

        var declared = context.Request.ContentLength ?? 0;
        if (key.UploadBytesPerDay > 0 && usage.UploadBytes(today) + declared > key.UploadBytesPerDay)
        {
            usage.Refused();
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", $"key \"{key.Name}\" would exceed its {key.UploadBytesPerDay} upload bytes for today", _quotas.UntilReset);
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
