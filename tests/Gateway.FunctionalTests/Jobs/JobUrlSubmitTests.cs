using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Jobs;

/// <summary><c>POST /api/v1/asr/submit</c> with JSON <c>{"url"}</c>: fetched through the outbound policy, then an upload.</summary>
public sealed class JobUrlSubmitTests
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(80));

    [Fact(Timeout = 90_000)]
    public async Task Submit_LoopbackUrlWithPrivateNetworksAllowed_FetchedAndDone()
    {
        using var media = new JobMedia();
        await using var files = await FileServer.StartAsync(await File.ReadAllBytesAsync(media.Wav()));
        var settings = FileTranscriberTests.Settings(media);
        settings["Outbound:AllowPrivateNetworks"] = "true";
        await using var gateway = await TestGateway.StartAsync(settings);
        using var api = new JobApi(gateway.Http);

        using var response = await api.Http.PostAsync("/api/v1/asr/submit", Json(new { url = files.Url, output_format = "srt" }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("task_id").GetString()!;
        var result = await api.WaitFinishedAsync(id, _deadline.Token);

        Assert.Equal("done", result.GetProperty("status").GetString());
        Assert.Equal(SpeechFixture.ThreeUtterances.Words, result.GetProperty("sentences").EnumerateArray()
            .SelectMany(s => s.GetProperty("text").GetString()!.Split(' ')).Select(w => w.TrimEnd('.')));
        Assert.Equal(1, files.Requests);
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_RefusedOrBadUrl_ClearStatusAndReasonAndNothingFetched()
    {
        using var media = new JobMedia();
        await using var files = await FileServer.StartAsync(await File.ReadAllBytesAsync(media.Wav()));
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var api = new JobApi(gateway.Http);

        // Default policy: loopback is refused before any connection.
        var (status, detail) = await SubmitAsync(api, new { url = files.Url });
        Assert.Equal(422, status);
        Assert.Equal($"the url was refused: {files.Url} points at a private, loopback or link-local address", detail);

        // A name resolving to loopback passes the form check and is refused on the address connected.
        (status, detail) = await SubmitAsync(api, new { url = files.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) });
        Assert.Equal(422, status);
        Assert.Contains("localhost resolves only to addresses the outbound policy refuses", detail, StringComparison.Ordinal);

        (status, detail) = await SubmitAsync(api, new { url = "ftp://example.com/a.wav" });
        Assert.Equal(422, status);
        Assert.Equal("the url was refused: the URL scheme 'ftp' is not allowed (allowed: https, http)", detail);

        (status, detail) = await SubmitAsync(api, new { language = "en" });
        Assert.Equal(400, status);
        Assert.StartsWith("the JSON body has no \"url\"", detail, StringComparison.Ordinal);

        (status, _) = await SubmitAsync(api, "{not json");
        Assert.Equal(400, status);
        Assert.Equal(0, files.Requests);
    }

    [Fact(Timeout = 60_000)]
    public async Task Submit_PrivateAllowed_RedirectToDeniedSchemeRefusedTooLarge413Unreachable502()
    {
        using var media = new JobMedia();
        await using var files = await FileServer.StartAsync(await File.ReadAllBytesAsync(media.Wav()));
        var settings = FileTranscriberTests.Settings(media);
        settings["Outbound:AllowPrivateNetworks"] = "true";
        settings["Outbound:AllowedHosts:0"] = "127.0.0.1";
        settings["Jobs:MaxUploadBytes"] = "2048";
        await using var gateway = await TestGateway.StartAsync(settings);
        using var api = new JobApi(gateway.Http);

        // The redirect target is checked like the first URL: a host off the allow-list is refused, never connected.
        var (status, detail) = await SubmitAsync(api, new { url = files.RedirectTo("http://localhost:9/secret") });
        Assert.Equal(422, status);
        Assert.Equal("the url redirected to a refused target: the host of http://localhost:9/secret is not in Outbound:AllowedHosts", detail);

        (status, detail) = await SubmitAsync(api, new { url = files.Url });
        Assert.Equal(413, status);
        Assert.Contains("exceeds the limit of 2048 bytes", detail, StringComparison.Ordinal);

        (status, detail) = await SubmitAsync(api, new { url = "http://127.0.0.1:9/none.wav" });
        Assert.Equal(502, status);
        Assert.StartsWith("the url could not be fetched: ", detail, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Detail)> SubmitAsync(JobApi api, object body)
    {
        using var content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : Json(body);
        using var response = await api.Http.PostAsync("/api/v1/asr/submit", content);
        return await JobApi.ProblemAsync(response);
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
