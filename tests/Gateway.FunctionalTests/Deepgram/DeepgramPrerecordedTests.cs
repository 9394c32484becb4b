using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>Prerecorded <c>POST /v1/listen</c>: raw and container bodies, <c>{"url"}</c>, the limits, the job hand-off, and the SDK.</summary>
public sealed class DeepgramPrerecordedTests : IDisposable
{
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;
    private static readonly List<string> BareWords = Fixture.Words.Select(w => w.Trim('.', ',').ToLowerInvariant()).ToList();
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"dg-jobs-{Guid.NewGuid():N}");

    [Fact(Timeout = 60_000)]
    public async Task Post_RawLinear16Body_DeepgramResponseWithEveryWordAndUtterances()
    {
        await using var gateway = await StartAsync();
        using var http = Client(gateway);

        using var response = await http.PostAsync("/v1/listen?encoding=linear16&sample_rate=16000&utterances=true", Bytes(Fixture.Pcm16Bytes, "audio/l16"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var alternative = body.GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0];
        Assert.Equal(BareWords, alternative.GetProperty("transcript").GetString()!.Split(' '));
        Assert.Equal(BareWords, alternative.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()));
        Assert.Equal(Fixture.Spans.Count, body.GetProperty("results").GetProperty("utterances").GetArrayLength());
        Assert.Equal(Fixture.Samples.Length / 16_000.0, body.GetProperty("metadata").GetProperty("duration").GetDouble(), 1);
        Assert.Equal(response.Headers.GetValues("dg-request-id").Single(), body.GetProperty("metadata").GetProperty("request_id").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Post_UrlOnLoopback_RefusedUnlessPrivateNetworksAllowed()
    {
        await using var files = await FileServer.StartAsync(Wav.Bytes(Fixture.Samples));
        await using (var closed = await StartAsync())
        {
            using var http = Client(closed);
            using var refused = await http.PostAsync("/v1/listen", Json(new { url = files.Url }));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("private, loopback or link-local", refused.Headers.GetValues("dg-error").Single());
            Assert.Equal(0, files.Requests);
        }

        await using var open = await StartAsync(new() { ["Outbound:AllowPrivateNetworks"] = "true" });
        using var client = Client(open);
        using var response = await client.PostAsync("/v1/listen?punctuate=true", Json(new { url = files.Url }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transcript = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
            .GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0].GetProperty("transcript").GetString()!;
        Assert.Equal(Fixture.Words.Select(w => w.TrimEnd('.')), transcript.Split(' ').Select(w => w.TrimEnd('.')));
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_BodyOverTheLimit_Http413()
    {
        await using var gateway = await StartAsync(new() { ["Deepgram:PrerecordedMaxBytes"] = "100000" });
        using var http = Client(gateway);

        using var response = await http.PostAsync("/v1/listen", Bytes(Wav.Bytes(Fixture.Samples), "audio/wav"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds the limit of 100000 bytes", response.Headers.GetValues("dg-error").Single());
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_NotAudio_Http400()
    {
        await using var gateway = await StartAsync();
        using var http = Client(gateway);

        using var response = await http.PostAsync("/v1/listen", Bytes(Encoding.UTF8.GetBytes(new string('x', 5000)), "audio/wav"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("corrupt or unsupported data", response.Headers.GetValues("dg-error").Single());
    }

    [Fact(Timeout = 60_000)]
    public async Task Post_LongerThanTheSynchronousLimit_Http202WithTheFileJob()
    {
        await using var gateway = await StartAsync(new() { ["Deepgram:PrerecordedMaxDuration"] = "00:00:05" });
        using var http = Client(gateway);

        using var response = await http.PostAsync("/v1/listen", Bytes(Wav.Bytes(Fixture.Samples), "audio/wav"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        using var job = await http.GetAsync(body.GetProperty("result_url").GetString());
        Assert.Equal(HttpStatusCode.OK, job.StatusCode);
        Assert.Contains(body.GetProperty("job_id").GetString()!, await job.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 90_000)]
    public async Task Sdk_TranscribeFile_TranscriptMatchesTheFixture()
    {
        var wav = Path.Combine(_data + "-in.wav");
        await File.WriteAllBytesAsync(wav, Wav.Bytes(Fixture.Samples));
        await using var gateway = await StartAsync();

        var lines = await NodeScript.RunAsync("prerecorded.mjs", TimeSpan.FromSeconds(60), gateway.Http.ToString().TrimEnd('/'), wav);
        File.Delete(wav);

        var results = Assert.Single(lines).GetProperty("results");
        var transcript = results.GetProperty("channels")[0].GetProperty("alternatives")[0].GetProperty("transcript").GetString()!;
        Assert.Equal(Fixture.Words.Select(w => w.TrimEnd('.')), transcript.Split(' ').Select(w => w.TrimEnd('.')));
        Assert.Equal(Fixture.Spans.Count, results.GetProperty("utterances").GetArrayLength());
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private Task<TestGateway> StartAsync(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Jobs:DataDirectory"] = Path.Combine(_data, Guid.NewGuid().ToString("N"));
        return TestGateway.StartAsync(settings);
    }

    private static HttpClient Client(TestGateway gateway) => new() { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(45) };

    private static ByteArrayContent Bytes(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
