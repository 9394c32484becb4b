using System.Text.Json;
using Gateway.Core.Auth;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Endpoints;

/// <summary>
/// <c>POST /v1/auth/grant</c>: a key buys a short-lived signed grant for a browser (the path and the
/// <c>access_token</c>/<c>expires_in</c> answer are Deepgram's, so its SDKs' grant call works);
/// <c>GET /v1/usage</c>: every key's usage (admin). docs/security.md.
/// </summary>
internal static class AuthEndpoints
{
    private const int MaxBodyBytes = 4 * 1024;
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void MapAuthEndpoints(this WebApplication app)
    {
        app.MapPost("/v1/auth/grant", GrantAsync).RequireScope(Scopes.AnyCaller).DisableAntiforgery();
        app.MapGet("/v1/usage", Usage).RequireScope(Scopes.Admin);
        app.MapDelete("/v1/auth/keys/{name}", Revoke).RequireScope(Scopes.Admin);
    }

    private static async Task<IResult> GrantAsync(HttpContext context, GrantTokens grants, IOptions<AuthOptions> options)
    {
        var caller = context.Features.Get<Caller>();
        if (caller is { ViaGrant: true })
        {
            return Error(StatusCodes.Status403Forbidden, "INSUFFICIENT_PERMISSIONS", "a grant cannot issue grants; use a key");
        }

        var request = await ReadAsync(context);
        if (request.Error is { } error)
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", error);
        }

        var held = caller?.Scopes ?? Scopes.All.ToHashSet(); // auth off: nothing to narrow
        if (RoomRole(request) is { Error: { } roleError })
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", roleError);
        }

        var scopes = RoomRole(request).Scopes ?? request.Scopes ?? [.. held.Where(s => s != Scopes.Admin)];
        if (request is { Room: not null, Role: "speak" } && !held.Contains(Scopes.RoomsView))
        {
            scopes.Remove(Scopes.RoomsView); // a speaker sees the room only if its key may
        }
        if (scopes.FirstOrDefault(s => !held.Contains(s)) is { } extra)
        {
            return Error(StatusCodes.Status403Forbidden, "INSUFFICIENT_PERMISSIONS", $"the key does not hold the \"{extra}\" scope it asked to grant");
        }

        var lifetime = request.Ttl ?? options.Value.GrantLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > options.Value.MaxGrantLifetime)
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", $"ttl_seconds must be between 1 and {options.Value.MaxGrantLifetime.TotalSeconds:0} (Auth:MaxGrantLifetime)");
        }

        var token = grants.Issue(caller?.KeyName ?? "anonymous", scopes, lifetime, request.Room);
        return Results.Json(new GrantResponse(token, (int)lifetime.TotalSeconds, scopes, request.Room));
    }

    /// <summary>
    /// A room grant (<c>"room"</c>) is for one room and one role: <c>view</c> (rooms-view: its captions, events,
    /// transcript and details) or <c>speak</c> (stream into it, and view it). The role decides the scopes.
    /// </summary>
    private static (List<string>? Scopes, string? Error) RoomRole(GrantRequest request) => (request.Room, request.Role) switch
    {
        (null, null) => (null, null),
        (null, _) => (null, "\"role\" needs a \"room\""),
        (_, _) when request.Scopes is not null => (null, "a room grant takes a \"role\" (view or speak), not \"scopes\""),
        (_, null or "view") => ([Scopes.RoomsView], null),
        (_, "speak") => ([Scopes.Stream, Scopes.RoomsView], null),
        _ => (null, $"\"role\" must be view or speak (was \"{request.Role}\")"),
    };

    /// <summary>
    /// Revokes a key at once, until the process restarts (remove it from <c>Auth:Keys</c> to make it permanent):
    /// its grants stop working and its live sessions end with <c>key_revoked</c>.
    /// </summary>
    private static IResult Revoke(string name, ApiKeys keys, KeyRevocations live, HttpContext context)
    {
        if (context.Features.Get<Caller>() is { } caller && caller.KeyName == name)
        {
            return Error(StatusCodes.Status400BadRequest, "Bad Request", "a key cannot revoke itself");
        }

        var sessions = live.Count(name);
        return keys.Revoke(name)
            ? Results.Json(new { name, revoked = true, sessions_ended = sessions })
            : Error(StatusCodes.Status404NotFound, "NOT_FOUND", $"no key \"{name}\" (or it is already revoked)");
    }

    private static IResult Usage(Quotas quotas, ApiKeys keys, TimeProvider time)
    {
        var today = quotas.Today;
        var now = time.GetUtcNow();
        return Results.Json(new UsageResponse(today.ToString("O"), keys.All.Select(k =>
        {
            var usage = quotas.For(k.Name);
            return new KeyUsageResponse(
                k.Name, k.Scopes, usage.ActiveSessions, Math.Round(usage.StreamMinutes(today), 3), usage.UploadBytes(today), usage.Refusals,
                new KeyLimits(k.MaxSessions, k.StreamMinutesPerDay, k.UploadBytesPerDay, k.JobsPerHour, k.MaxIngests))
            {
                JobsLastHour = usage.JobsLastHour(now),
            };
        }).ToList()), SnakeCase);
    }

    private static async Task<GrantRequest> ReadAsync(HttpContext context)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted)) > 0)
        {
            total += read;
        }

        if (total == 0)
        {
            return new GrantRequest(null, null, null, null, null);
        }

        if (total > MaxBodyBytes)
        {
            return new GrantRequest(null, null, null, null, $"the body must be at most {MaxBodyBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new GrantRequest(null, null, null, null, "the body must be a JSON object");
            }

            List<string>? scopes = root.TryGetProperty("scopes", out var s) ? [.. s.EnumerateArray().Select(e => e.GetString()!)] : null;
            TimeSpan? ttl = root.TryGetProperty("ttl_seconds", out var t) ? TimeSpan.FromSeconds(t.GetDouble()) : null;
            var room = root.TryGetProperty("room", out var r) ? r.GetString() : null;
            var role = root.TryGetProperty("role", out var o) ? o.GetString() : null;
            return new GrantRequest(scopes, ttl, room, role, room is { Length: 0 } ? "\"room\" must not be empty" : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return new GrantRequest(null, null, null, null, $"the body is not a valid grant request: {ex.Message}");
        }
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { err_code = code, err_msg = message }, statusCode: status);

    private sealed record GrantResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
        [property: System.Text.Json.Serialization.JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
        [property: System.Text.Json.Serialization.JsonPropertyName("room"), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Room);

    private sealed record GrantRequest(List<string>? Scopes, TimeSpan? Ttl, string? Room, string? Role, string? Error);

    private sealed record UsageResponse(string Day, IReadOnlyList<KeyUsageResponse> Keys);

    private sealed record KeyUsageResponse(string Name, IReadOnlyList<string> Scopes, int ActiveSessions, double StreamMinutesToday, long UploadBytesToday, long Refusals, KeyLimits Limits)
    {
        public int JobsLastHour { get; init; }
    }

    private sealed record KeyLimits(int MaxSessions, int StreamMinutesPerDay, long UploadBytesPerDay, int JobsPerHour, int MaxIngests);
}
