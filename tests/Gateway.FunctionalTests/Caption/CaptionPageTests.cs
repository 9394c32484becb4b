using System.Net;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Caption;

/// <summary>The caption page's files over plain HTTP (the browser tests drive it in Chromium).</summary>
public sealed class CaptionPageTests
{
    [Fact(Timeout = 30_000)]
    public async Task GetRoot_PlainGet_ServesThePageWithItsSecurityHeaders()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.Http };

        using var root = await http.GetAsync("/");
        using var prefixed = await http.GetAsync("/caption/");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html; charset=utf-8", root.Content.Headers.ContentType?.ToString());
        var html = await root.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/caption/app.js\"></script>", html, StringComparison.Ordinal);
        Assert.Equal(html, await prefixed.Content.ReadAsStringAsync());
        Assert.Contains("connect-src 'self' ws: wss:", root.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("microphone=(self)", root.Headers.GetValues("Permissions-Policy").Single());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("app.js", "text/javascript; charset=utf-8", "import { formatTime, toSrt, toVtt } from './subtitles.js';")]
    [InlineData("capture-worklet.js", "text/javascript; charset=utf-8", "registerProcessor('pcm16-capture'")]
    [InlineData("resampler.js", "text/javascript; charset=utf-8", "export class Resampler")]
    [InlineData("subtitles.js", "text/javascript; charset=utf-8", "export function toSrt")]
    [InlineData("resume.js", "text/javascript; charset=utf-8", "export async function openResumingSocket")]
    [InlineData("caption.css", "text/css; charset=utf-8", ".history")]
    public async Task GetAsset_KnownFile_ServedWithItsTypeAndRevalidatedByETag(string file, string contentType, string content)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.Http };

        using var first = await http.GetAsync("/caption/" + file);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/caption/" + file);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await http.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(contentType, first.Content.Headers.ContentType?.ToString());
        Assert.Contains(content, await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsset_UnknownFile_NotFound_AndTheStreamEndpointStillAnswers426()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.Http };

        using var missing = await http.GetAsync("/caption/missing.js");
        using var stream = await http.GetAsync("/v1/stream");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.UpgradeRequired, stream.StatusCode);
    }
}
