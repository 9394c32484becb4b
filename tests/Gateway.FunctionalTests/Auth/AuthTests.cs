using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Core.Auth;
using Gateway.FunctionalTests.Deepgram;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.FunctionalTests.Auth;

/// <summary>Auth on (Auth:Enabled=true) against a real gateway: where credentials go, scopes, grants, quotas, origins, pages.</summary>
public sealed class AuthTests
{
    private const string StreamKey = AuthGateway.StreamKey;
    private const string JobsKey = AuthGateway.JobsKey;
    private const string AdminKey = AuthGateway.AdminKey;
    private const string Listen = "/v1/listen?encoding=linear16&sample_rate=16000";

    [Fact(Timeout = 30_000)]
    public async Task Upgrade_NoCredential_Http401WithDgErrorOnEveryStreamEndpoint()
    {
        await using var gateway = await StartAsync();

        // /v1/stream too: only a browser page (it sends Origin) may bring its credential in the start message (StartMessageAuthTests).
        foreach (var path in new[] { "/v1/stream", Listen, "/whisperlive", "/funasr", "/" })
        {
            var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream(path));
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("a key or grant is required", headers["dg-error"].Single());
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData("", null, 401, "INVALID_AUTH", "a key or grant is required")]
    [InlineData("?token=sk-wrong", null, 401, "INVALID_AUTH", "invalid credentials")]
    [InlineData("", "Token sk-wrong", 401, "INVALID_AUTH", "invalid credentials")]
    [InlineData("?token=" + JobsKey, null, 403, "INSUFFICIENT_PERMISSIONS", "key \"jobs\" lacks the \"stream\" scope")]
    public async Task NativeStream_NoBadOrUnscopedCredential_RefusedAtTheHandshakeWithAJsonBody(string query, string? authorization, int status, string code, string message)
    {
        await using var gateway = await StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = StreamClient.Timeout };
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/v1/stream" + query);
        upgrade.Headers.Connection.Add("Upgrade");
        upgrade.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        if (authorization is not null)
        {
            upgrade.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(upgrade);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, body.GetProperty("err_code").GetString());
        Assert.Contains(message, body.GetProperty("err_msg").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Upgrade_WrongKey_Http401()
    {
        await using var gateway = await StartAsync();

        var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Listen + "&token=sk-wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid credentials", headers["dg-error"].Single());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("header")]
    [InlineData("subprotocol")]
    [InlineData("query")]
    public async Task Listen_KeyInEachPlaceClientsPutIt_SessionRuns(string where)
    {
        await using var gateway = await StartAsync();
        var uri = gateway.Stream(where == "query" ? Listen + "&token=" + StreamKey : Listen);
        await using var client = await DeepgramRawClient.ConnectAsync(uri, o =>
        {
            if (where == "header")
            {
                o.SetRequestHeader("Authorization", "Token " + StreamKey);
            }
            else if (where == "subprotocol")
            {
                o.AddSubProtocol("token");
                o.AddSubProtocol(StreamKey);
            }
        });

        await client.SendAudioAsync(new byte[3_200]);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("Metadata", DeepgramRawClient.Type(client.Messages[^1]));
    }

    [Fact(Timeout = 30_000)]
    public async Task Listen_KeyWithoutTheStreamScope_Http403()
    {
        await using var gateway = await StartAsync();

        var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Listen + "&token=" + JobsKey));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("key \"jobs\" lacks the \"stream\" scope", headers["dg-error"].Single());
    }

    [Fact(Timeout = 30_000)]
    public async Task Grant_FromAKey_WorksAsBearerUntilTamperedOrExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartAsync(time: time);
        using var http = Client(gateway, StreamKey);

        using var response = await http.PostAsync("/v1/auth/grant", Json(new { ttl_seconds = 30 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grant = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var token = grant.GetProperty("access_token").GetString()!;
        Assert.Equal(30, grant.GetProperty("expires_in").GetInt32());

        await using (var client = await DeepgramRawClient.ConnectAsync(gateway.Stream(Listen), o => o.SetRequestHeader("Authorization", "Bearer " + token)))
        {
            await client.CloseStreamAsync();
            await client.ReceiveUntilClosedAsync();
            Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        }

        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        var (tamperedStatus, tamperedHeaders) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Listen + "&token=" + tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, tamperedStatus);
        Assert.Equal("the grant's signature does not match", tamperedHeaders["dg-error"].Single());

        time.Advance(TimeSpan.FromSeconds(31));
        var (expiredStatus, expiredHeaders) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Listen + "&token=" + token));
        Assert.Equal(HttpStatusCode.Unauthorized, expiredStatus);
        Assert.Equal("the grant has expired", expiredHeaders["dg-error"].Single());
    }

    [Fact(Timeout = 30_000)]
    public async Task Grant_ScopeTheKeyDoesNotHold_Http403AndAGrantCannotIssueGrants()
    {
        await using var gateway = await StartAsync();
        using var http = Client(gateway, StreamKey);

        using var wider = await http.PostAsync("/v1/auth/grant", Json(new { scopes = new[] { "admin" } }));
        Assert.Equal(HttpStatusCode.Forbidden, wider.StatusCode);

        using var granted = await http.PostAsync("/v1/auth/grant", Json(new { }));
        var token = JsonDocument.Parse(await granted.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        using var viaGrant = Client(gateway, token);
        using var chained = await viaGrant.PostAsync("/v1/auth/grant", Json(new { }));
        Assert.Equal(HttpStatusCode.Forbidden, chained.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Quota_SecondSessionOverMaxSessions_Http429WithRetryAfter()
    {
        await using var gateway = await StartAsync();
        await using var first = await DeepgramRawClient.ConnectAsync(gateway.Stream(Listen + "&token=" + StreamKey));

        var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Listen + "&token=" + StreamKey));

        Assert.Equal((HttpStatusCode)429, status);
        Assert.True(int.Parse(headers["Retry-After"].Single()) > 0);
        Assert.Contains("concurrent sessions", headers["dg-error"].Single());

        using var admin = Client(gateway, AdminKey);
        var usage = JsonDocument.Parse(await admin.GetStringAsync("/v1/usage")).RootElement.GetProperty("keys")
            .EnumerateArray().Single(k => k.GetProperty("name").GetString() == "stream");
        Assert.Equal(1, usage.GetProperty("active_sessions").GetInt32());
        Assert.Equal(1, usage.GetProperty("refusals").GetInt64());
    }

    [Fact(Timeout = 30_000)]
    public async Task Quota_UploadOverTheDailyBytes_Http429()
    {
        await using var gateway = await StartAsync();
        using var http = Client(gateway, StreamKey);

        using var response = await http.PostAsync(Listen, new ByteArrayContent(new byte[200_000]));

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact(Timeout = 30_000)]
    public async Task Usage_WithoutAdminScope_Http403()
    {
        await using var gateway = await StartAsync();
        using var http = Client(gateway, StreamKey);

        using var response = await http.GetAsync("/v1/usage");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ingests_ManagedWithTheIngestScope_CaptionOutputsWithRoomsView()
    {
        const string ingestKey = "ingest-key-for-tests-0123456789";
        await using var gateway = await StartAsync(new()
        {
            ["Auth:Keys:3:Name"] = "ingest",
            ["Auth:Keys:3:Hash"] = ApiKeys.HashOf(ingestKey),
            ["Auth:Keys:3:Scopes:0"] = Scopes.Ingest,
        });
        using var jobs = Client(gateway, JobsKey);
        using var ingest = Client(gateway, ingestKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await jobs.GetAsync("/v1/ingests")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await jobs.PostAsync("/v1/ingests", Json(new { url = "rtsp://camera.example/stream" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ingest.GetAsync("/v1/ingests")).StatusCode);
        // Caption outputs are for viewers: the ingest scope alone does not read them.
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/v1/ingests/none/captions.vtt")).StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Metrics_BehindTheMetricsScopeUnlessOpen()
    {
        await using (var closed = await StartAsync())
        {
            using var anonymous = new HttpClient { BaseAddress = closed.Http };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        }

        await using var open = await StartAsync(new() { ["Auth:MetricsOpen"] = "true" });
        using var http = new HttpClient { BaseAddress = open.Http };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Origin_NotAllowed_Http403AndAllowedOriginGetsIn()
    {
        await using var gateway = await StartAsync(new() { ["Auth:AllowedOrigins:0"] = "https://app.example.com" });

        var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Listen + "&token=" + StreamKey), o => o.SetRequestHeader("Origin", "https://evil.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("https://evil.example.com is not allowed", headers["dg-error"].Single());

        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream(Listen + "&token=" + StreamKey), o => o.SetRequestHeader("Origin", "https://app.example.com"));
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task CaptionPage_AnonymousWithSecurityHeaders()
    {
        await using var gateway = await StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.Http };

        using var page = await http.GetAsync("/caption/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact(Timeout = 30_000)]
    public async Task EveryMappedEndpoint_CarriesAnExplicitScopeOrAnonymousAnnotation()
    {
        await using var gateway = await StartAsync();

        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var unannotated = endpoints
            .Where(e => e.Metadata.GetMetadata<RequiredScope>() is null && e.Metadata.GetMetadata<AnonymousAccess>() is null)
            .Select(e => e.RoutePattern.RawText).ToList();

        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/v1/asr/submit");
        Assert.Empty(unannotated);
    }

    /// <summary>The jobs, rooms and admin REST routes; a route added without an annotation would fail closed (admin), this proves none is open.</summary>
    private static readonly (string Method, string Path)[] RestRoutes =
    [
        ("POST", "/api/v1/asr/submit"),
        ("GET", "/api/v1/asr/result/0123456789abcdef0123456789abcdef"),
        ("GET", "/api/v1/asr/history"),
        ("GET", "/api/v1/asr/audio/0123456789abcdef0123456789abcdef"),
        ("GET", "/api/v1/asr/queue/status"),
        ("POST", "/api/v1/asr/retry/0123456789abcdef0123456789abcdef"),
        ("DELETE", "/api/v1/asr/task/0123456789abcdef0123456789abcdef"),
        ("GET", "/api/v1/asr/events/0123456789abcdef0123456789abcdef"),
        ("GET", "/api/v1/stats"),
        ("POST", "/v1/rooms"),
        ("GET", "/v1/rooms"),
        ("GET", "/v1/rooms/lobby"),
        ("GET", "/v1/rooms/lobby/transcript"),
        ("GET", "/v1/rooms/lobby/events"),
        ("GET", "/v1/ingests"),
        ("GET", "/openapi/v1.json"),
        ("GET", "/v1/usage"),
    ];

    [Fact(Timeout = 60_000)]
    public async Task Rest_NoCredential_Http401OnEveryJobsRoomsAndAdminRoute()
    {
        await using var gateway = await StartAsync();
        using var anonymous = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(20) };

        foreach (var (method, path) in RestRoutes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = Json(new { url = "https://example.com/a.wav", name = "lobby" });
            }

            using var response = await anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a key");
        }
    }

    private static Task<TestGateway> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? time = null) => AuthGateway.StartAsync(settings, time);

    private static HttpClient Client(TestGateway gateway, string key) => AuthGateway.Client(gateway, key);

    private static StringContent Json(object value) => AuthGateway.Json(value);
}
