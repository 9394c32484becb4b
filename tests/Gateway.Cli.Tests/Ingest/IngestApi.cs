using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>The ingest HTTP API as a test sees it, with condition waits (never sleeps).</summary>
internal sealed class IngestApi(Uri gateway) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(20) };

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(object body) => await SendAsync(HttpMethod.Post, "/v1/ingests", JsonContent.Create(body));

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(string body) =>
        await SendAsync(HttpMethod.Post, "/v1/ingests", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    public async Task<string> CreateAsync(object body)
    {
        var (status, json) = await PostAsync(body);
        Assert.True(status == HttpStatusCode.Created, $"{status}: {json}");
        return json.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> GetAsync(string id)
    {
        var (status, json) = await SendAsync(HttpMethod.Get, $"/v1/ingests/{id}");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {json}");
        return json;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(string id) => await SendAsync(HttpMethod.Delete, $"/v1/ingests/{id}");

    public async Task<JsonElement> GetListAsync()
    {
        var (_, json) = await SendAsync(HttpMethod.Get, "/v1/ingests");
        return json.GetProperty("ingests");
    }

    public Task<string> TextAsync(string path) => _http.GetStringAsync(path);

    public async Task<HttpStatusCode> StatusAsync(string path) => (await _http.GetAsync(path)).StatusCode;

    /// <summary>Polls the ingest until <paramref name="condition"/> holds; fails with its last state when the deadline passes.</summary>
    public async Task<JsonElement> WaitAsync(string id, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var last = default(JsonElement);
        while (!deadline.IsCancellationRequested)
        {
            last = await GetAsync(id);
            if (condition(last))
            {
                return last;
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.Fail($"ingest {id} did not reach the expected state in {timeout.TotalSeconds} s; last: {last}");
        return last;
    }

    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode, JsonElement)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static string State(JsonElement ingest) => ingest.GetProperty("state").GetString()!;

    public static long Finals(JsonElement ingest) => ingest.GetProperty("finals").GetInt64();
}
