using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.Auth;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Auth;

/// <summary>Per-key quotas on jobs per hour and concurrent ingests: 429 with Retry-After, other keys unaffected.</summary>
public sealed class KeyQuotaTests
{
    private const string QuotaKey = "sk-quota-0123456789";

    [Fact(Timeout = 60_000)]
    public async Task JobsPerHour_SecondSubmit429WithRetryAfter_ARefusedUploadDoesNotCount()
    {
        await using var gateway = await StartAsync();
        using var http = AuthGateway.Client(gateway, QuotaKey);
        var directory = Directory.CreateTempSubdirectory("gateway-quota-");
        try
        {
            var wav = Wav.Write(Path.Combine(directory.FullName, "a.wav"), SpeechFixture.ThreeUtterances.Samples.AsSpan(0, 16_000));
            var empty = Path.Combine(directory.FullName, "empty.wav");
            await File.WriteAllBytesAsync(empty, []);

            using (var refused = await SubmitAsync(http, empty))
            {
                Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode); // no job: the hour's one job is still free
            }

            using (var accepted = await SubmitAsync(http, wav))
            {
                Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
            }

            using var over = await SubmitAsync(http, wav);
            Assert.Equal((HttpStatusCode)429, over.StatusCode);
            var retry = over.Headers.RetryAfter!.Delta!.Value;
            Assert.InRange(retry, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
            Assert.Contains("submitted its 1 jobs in the last hour", await over.Content.ReadAsStringAsync());

            using var admin = AuthGateway.Client(gateway, AuthGateway.AdminKey);
            var usage = JsonDocument.Parse(await admin.GetStringAsync("/v1/usage")).RootElement.GetProperty("keys")
                .EnumerateArray().Single(k => k.GetProperty("name").GetString() == "quota");
            Assert.Equal(1, usage.GetProperty("jobs_last_hour").GetInt32());
            Assert.Equal(1, usage.GetProperty("limits").GetProperty("jobs_per_hour").GetInt32());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task JobsPerHour_DeepgramPrerecordedThatBecomesAJob_CountedLikeASubmit()
    {
        await using var gateway = await StartAsync(new() { ["Deepgram:PrerecordedMaxDuration"] = "00:00:01" });
        using var http = AuthGateway.Client(gateway, QuotaKey);
        var samples = SpeechFixture.ThreeUtterances.Samples;
        HttpContent Recording(int count)
        {
            var content = new ByteArrayContent(Wav.Bytes(samples.AsSpan(0, count)));
            content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            return content;
        }

        using (var queued = await http.PostAsync("/v1/listen", Recording(32_000))) // 2 s: longer than the synchronous limit
        {
            Assert.True(queued.StatusCode == HttpStatusCode.Accepted, await queued.Content.ReadAsStringAsync());
        }

        using var over = await http.PostAsync("/v1/listen", Recording(32_000));
        Assert.Equal((HttpStatusCode)429, over.StatusCode);
        Assert.InRange(over.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.Contains("submitted its 1 jobs in the last hour", over.Headers.GetValues("dg-error").Single());
        Assert.Equal("TOO_MANY_REQUESTS", JsonDocument.Parse(await over.Content.ReadAsStringAsync()).RootElement.GetProperty("err_code").GetString());

        using var form = new MultipartFormDataContent { { Recording(16_000), "audio", "a.wav" } };
        using var submit = await http.PostAsync("/api/v1/asr/submit", form);
        Assert.Equal((HttpStatusCode)429, submit.StatusCode); // one hour's count for both ways of making a job

        using (var answered = await http.PostAsync("/v1/listen", Recording(8_000))) // 0.5 s: answered at once, no job
        {
            Assert.True(answered.StatusCode == HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        }

        using var admin = AuthGateway.Client(gateway, AuthGateway.AdminKey);
        var usage = JsonDocument.Parse(await admin.GetStringAsync("/v1/usage")).RootElement.GetProperty("keys")
            .EnumerateArray().Single(k => k.GetProperty("name").GetString() == "quota");
        Assert.Equal(1, usage.GetProperty("jobs_last_hour").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task MaxIngests_SecondIngest429WithRetryAfter_FreeAgainOnceStopped()
    {
        await using var gateway = await StartAsync(new()
        {
            ["Outbound:AllowPrivateNetworks"] = "true", // a loopback source that never answers keeps the ingest reconnecting
            ["Ingests:InitialBackoff"] = "00:00:00.200",
            ["Ingests:MaxBackoff"] = "00:00:01",
        });
        using var http = AuthGateway.Client(gateway, QuotaKey);
        var source = new { url = $"rtsp://127.0.0.1:{ClosedPort()}/quiet" };

        using var first = await http.PostAsync("/v1/ingests", AuthGateway.Json(source));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var over = await http.PostAsync("/v1/ingests", AuthGateway.Json(source));
        Assert.Equal((HttpStatusCode)429, over.StatusCode);
        Assert.True(over.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        var body = JsonDocument.Parse(await over.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("quota_exceeded", body.GetProperty("error").GetString());
        Assert.Equal("key \"quota\" runs its maximum of 1 ingests (MaxIngests); stop one first", body.GetProperty("message").GetString());

        (await http.DeleteAsync($"/v1/ingests/{id}")).Dispose();
        using var again = await http.PostAsync("/v1/ingests", AuthGateway.Json(source));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string path)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "audio", Path.GetFileName(path));
        return await http.PostAsync("/api/v1/asr/submit", form);
    }

    private static Task<TestGateway> StartAsync(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Keys:3:Name"] = "quota",
            ["Auth:Keys:3:Hash"] = ApiKeys.HashOf(QuotaKey),
            ["Auth:Keys:3:Scopes:0"] = Scopes.Jobs,
            ["Auth:Keys:3:Scopes:1"] = Scopes.Ingest,
            ["Auth:Keys:3:Scopes:2"] = Scopes.Stream, // POST /v1/listen
            ["Auth:Keys:3:JobsPerHour"] = "1",
            ["Auth:Keys:3:MaxIngests"] = "1",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return AuthGateway.StartAsync(settings);
    }
}
