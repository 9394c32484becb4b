using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Auth;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Gateway.FunctionalTests.Auth;

/// <summary>A real gateway with auth on and three keys (stream with quotas, jobs, admin), and clients that carry a key.</summary>
internal static class AuthGateway
{
    public const string StreamKey = "sk-stream-0123456789";
    public const string JobsKey = "sk-jobs-0123456789";
    public const string AdminKey = "sk-admin-0123456789";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:Enabled"] = "true",
        ["Auth:Keys:0:Name"] = "stream",
        ["Auth:Keys:0:Hash"] = ApiKeys.HashOf(StreamKey),
        ["Auth:Keys:0:Scopes:0"] = Scopes.Stream,
        ["Auth:Keys:0:MaxSessions"] = "1",
        ["Auth:Keys:0:UploadBytesPerDay"] = "100000",
        ["Auth:Keys:1:Name"] = "jobs",
        ["Auth:Keys:1:Hash"] = ApiKeys.HashOf(JobsKey),
        ["Auth:Keys:1:Scopes:0"] = Scopes.Jobs,
        ["Auth:Keys:2:Name"] = "admin",
        ["Auth:Keys:2:Hash"] = ApiKeys.HashOf(AdminKey),
        ["Auth:Keys:2:Scopes:0"] = Scopes.Admin,
    };

    public static Task<TestGateway> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        var all = Settings();
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return TestGateway.StartAsync(all, time, configure);
    }

    public static HttpClient Client(TestGateway gateway, string key)
    {
        var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        return http;
    }

    public static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    /// <summary>A grant bought with <paramref name="key"/> for the given request body.</summary>
    public static async Task<string> GrantAsync(TestGateway gateway, string key, object request)
    {
        using var http = Client(gateway, key);
        using var response = await http.PostAsync("/v1/auth/grant", Json(request));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
