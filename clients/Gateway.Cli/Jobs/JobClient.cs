using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Cli.Protocol;

namespace Gateway.Cli.Jobs;

/// <summary>
/// The gateway's file-job REST API (docs/jobs.md) as the CLI uses it: submit, result (JSON or a subtitle format),
/// history. Error statuses become <see cref="JobApiException"/>; an unreachable gateway <see cref="CannotConnectException"/>.
/// </summary>
internal sealed class JobClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="server">Any form <c>--server</c> takes (ws(s) or http(s)); only scheme, host and port are used.</param>
    public JobClient(Uri server, string? apiKey)
    {
        var scheme = server.Scheme is "wss" or "https" ? "https" : "http";
        _http = new HttpClient
        {
            BaseAddress = new UriBuilder(server) { Scheme = scheme, Port = server.IsDefaultPort ? -1 : server.Port, Path = "/", Query = "" }.Uri,
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (apiKey is { Length: > 0 })
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", apiKey);
        }
    }

    /// <returns>The new job's id.</returns>
    public async Task<string> SubmitAsync(string path, string? language, string? hotwords, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        await using var stream = File.OpenRead(path);
        var audio = new StreamContent(stream);
        audio.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(audio, "audio", Path.GetFileName(path));
        if (language is { Length: > 0 })
        {
            form.Add(new StringContent(language), "language");
        }

        if (hotwords is { Length: > 0 })
        {
            form.Add(new StringContent(hotwords), "hotwords");
        }

        using var body = await SendAsync(() => _http.PostAsync("api/v1/asr/submit", form, cancellationToken), cancellationToken);
        return body.RootElement.GetProperty("task_id").GetString()!;
    }

    /// <summary>The job's status, progress (0-100) and, when done, its text and sentences.</summary>
    public async Task<JobView> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var body = await SendAsync(() => _http.GetAsync($"api/v1/asr/result/{Uri.EscapeDataString(id)}", cancellationToken), cancellationToken);
        return JobView.From(body.RootElement);
    }

    /// <summary>The finished job's result as <c>srt</c>, <c>vtt</c>, <c>txt</c> or <c>json</c>, exactly as the gateway renders it.</summary>
    public async Task<string> DownloadAsync(string id, string format, CancellationToken cancellationToken)
    {
        using var response = await RequestAsync(() => _http.GetAsync($"api/v1/asr/result/{Uri.EscapeDataString(id)}?format={format}", cancellationToken));
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw Error(response, text);
    }

    /// <summary>One page of jobs, newest first.</summary>
    public async Task<(IReadOnlyList<JobView> Jobs, int Total)> ListAsync(int page, int pageSize, string? status, CancellationToken cancellationToken)
    {
        var query = $"api/v1/asr/history?page={page}&page_size={pageSize}" + (status is { Length: > 0 } ? "&status=" + Uri.EscapeDataString(status) : "");
        using var body = await SendAsync(() => _http.GetAsync(query, cancellationToken), cancellationToken);
        var root = body.RootElement;
        return ([.. root.GetProperty("items").EnumerateArray().Select(JobView.From)], root.GetProperty("total").GetInt32());
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        using var response = await RequestAsync(send);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text) : throw Error(response, text);
    }

    private async Task<HttpResponseMessage> RequestAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new CannotConnectException($"cannot reach the gateway at {_http.BaseAddress}: {ex.Message}", ex);
        }
    }

    private static JobApiException Error(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind is JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text)
            {
                return new JobApiException(status, text);
            }
        }
        catch (JsonException)
        {
            // Not the gateway's error body (a proxy's page, say): the status line tells what happened.
        }

        return new JobApiException(status, $"HTTP {status} {response.ReasonPhrase}");
    }
}
