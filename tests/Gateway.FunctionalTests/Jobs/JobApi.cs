using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>A small client of the jobs REST API for tests.</summary>
internal sealed class JobApi : IDisposable
{
    private readonly HttpClient _http;

    public JobApi(Uri baseAddress) => _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Http => _http;

    public async Task<HttpResponseMessage> SubmitAsync(string path, string fileName = "speech.wav", params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "audio", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return await _http.PostAsync("/api/v1/asr/submit", form);
    }

    public async Task<string> SubmitOkAsync(string path, string fileName = "speech.wav")
    {
        using var response = await SubmitAsync(path, fileName);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("task_id").GetString()!;
    }

    public async Task<JsonElement> ResultAsync(string id)
    {
        using var response = await _http.GetAsync($"/api/v1/asr/result/{id}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    /// <summary>Polls until the job is done or failed (bounded by the token).</summary>
    public async Task<JsonElement> WaitFinishedAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ResultAsync(id);
            if (result.GetProperty("status").GetString() is "done" or "failed")
            {
                return result;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task<(int Status, string Detail)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!);
    }

    public void Dispose() => _http.Dispose();
}
