using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Core.Auth;
using Microsoft.AspNetCore.Builder;

namespace Gateway.Benchmarks.Auth;

/// <summary>
/// What authentication costs a client: a whole WebSocket handshake on <c>/v1/listen</c> (connect, 101, close) against
/// a real Kestrel gateway with auth off, with a key (SHA-256 + constant-time compare over the key list) and with a
/// grant (HMAC verify + JSON payload), and one <c>POST /v1/auth/grant</c> with and without auth. Same process, same run.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private const string Key = "sk-bench-0123456789abcdef";
    private WebApplication _open = null!;
    private WebApplication _secured = null!;
    private Uri _openUrl = null!;
    private Uri _securedUrl = null!;
    private HttpClient _openHttp = null!;
    private HttpClient _securedHttp = null!;
    private string _grant = null!;
    private string _data = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = Directory.CreateTempSubdirectory("gateway-bench-").FullName;
        (_open, _openUrl) = Start(false);
        (_secured, _securedUrl) = Start(true);
        _openHttp = new HttpClient { BaseAddress = new UriBuilder(_openUrl) { Scheme = "http", Query = "" }.Uri };
        _securedHttp = new HttpClient { BaseAddress = new UriBuilder(_securedUrl) { Scheme = "http", Query = "" }.Uri };
        _securedHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", Key);
        var grant = _securedHttp.PostAsync("/v1/auth/grant", new StringContent("{\"ttl_seconds\":3600}")).GetAwaiter().GetResult();
        _grant = System.Text.Json.JsonDocument.Parse(grant.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("access_token").GetString()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _open.StopAsync().GetAwaiter().GetResult();
        _secured.StopAsync().GetAwaiter().GetResult();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "WebSocket handshake, auth off")]
    public Task Open() => ListenGateway.HandshakeAsync(_openUrl, null);

    [Benchmark(Description = "WebSocket handshake, key (Authorization: Token)")]
    public Task WithKey() => ListenGateway.HandshakeAsync(_securedUrl, "Token " + Key);

    [Benchmark(Description = "WebSocket handshake, grant (Authorization: Bearer)")]
    public Task WithGrant() => ListenGateway.HandshakeAsync(_securedUrl, "Bearer " + _grant);

    [Benchmark(Description = "POST /v1/auth/grant, auth off")]
    public async Task PostOpen() => (await _openHttp.PostAsync("/v1/auth/grant", null)).Dispose();

    [Benchmark(Description = "POST /v1/auth/grant, key")]
    public async Task PostWithKey() => (await _securedHttp.PostAsync("/v1/auth/grant", null)).Dispose();

    private (WebApplication App, Uri Url) Start(bool auth)
    {
        var settings = ListenGateway.BaseSettings(Path.Combine(_data, auth ? "secured" : "open"));
        settings["Auth:Enabled"] = auth ? "true" : "false";
        settings["Auth:Keys:0:Name"] = "bench";
        settings["Auth:Keys:0:Hash"] = ApiKeys.HashOf(Key);
        settings["Auth:Keys:0:Scopes:0"] = Scopes.Stream;
        return ListenGateway.Start(settings);
    }
}
