using System.Net.WebSockets;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Auth;

/// <summary>
/// Browser pages (they send <c>Origin</c>) that cannot set headers and keep keys out of URLs send the credential in the
/// start message (<c>{"type":"start","token":...}</c>): the same checks as on the upgrade, then an error and close
/// 4401/4403/4429. Any other client without a credential is refused at the handshake.
/// </summary>
public sealed class StartMessageAuthTests
{
    [Fact(Timeout = 30_000)]
    public async Task StartToken_GoodKey_SessionRunsToItsNormalClose()
    {
        await using var gateway = await AuthGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsBrowserAsync(gateway.Stream());

        var ready = await client.StartAsync(new { token = AuthGateway.StreamKey });
        await client.SendAudioAsync(new byte[3_200]);
        await client.SendJsonAsync(new { type = "close" });
        await client.ReceiveUntilClosedAsync();

        Assert.StartsWith("s-", ready.GetProperty("session_id").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartToken_Grant_SessionRuns()
    {
        await using var gateway = await AuthGateway.StartAsync();
        var grant = await AuthGateway.GrantAsync(gateway, AuthGateway.StreamKey, new { ttl_seconds = 30 });
        await using var client = await StreamClient.ConnectAsBrowserAsync(gateway.Stream());

        await client.StartAsync(new { token = grant });
        await client.SendJsonAsync(new { type = "close" });
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("bad", "unauthorized", 4401, "invalid credentials")]
    [InlineData("missing", "unauthorized", 4401, "a key or grant is required")]
    [InlineData("audio-first", "unauthorized", 4401, "a key or grant is required")]
    [InlineData("no-scope", "forbidden", 4403, "key \"jobs\" lacks the \"stream\" scope")]
    public async Task StartToken_Refused_ErrorThenCloseCode(string kind, string code, int closeCode, string message)
    {
        await using var gateway = await AuthGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsBrowserAsync(gateway.Stream());

        switch (kind)
        {
            case "bad":
                await client.SendJsonAsync(new { type = "start", token = "sk-wrong" });
                break;
            case "missing":
                await client.SendJsonAsync(new { type = "start" });
                break;
            case "audio-first":
                await client.SendAudioAsync(new byte[3_200]);
                break;
            default:
                await client.SendJsonAsync(new { type = "start", token = AuthGateway.JobsKey });
                break;
        }

        var messages = await client.ReceiveUntilClosedAsync();

        var error = Assert.Single(messages);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal(closeCode, (int)client.CloseStatus!);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartToken_OverMaxSessions_QuotaExceeded4429AndTheFirstSessionUnaffected()
    {
        await using var gateway = await AuthGateway.StartAsync();
        await using var first = await StreamClient.ConnectAsBrowserAsync(gateway.Stream());
        await first.StartAsync(new { token = AuthGateway.StreamKey });

        await using var second = await StreamClient.ConnectAsBrowserAsync(gateway.Stream());
        await second.SendJsonAsync(new { type = "start", token = AuthGateway.StreamKey });
        var refused = Assert.Single(await second.ReceiveUntilClosedAsync());

        Assert.Equal("quota_exceeded", refused.GetProperty("code").GetString());
        Assert.Equal(4429, (int)second.CloseStatus!);
        await first.SendJsonAsync(new { type = "close" });
        await first.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.CloseStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_WithoutACredentialOnTheUpgrade_Http401()
    {
        await using var gateway = await AuthGateway.StartAsync();

        var (status, _) = await Deepgram.DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/stream", "?resume=0123456789abcdef&offset=0"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, status);
    }

    [Fact(Timeout = 30_000)]
    public async Task StartToken_OnTheQueryEndpointsToo_AHeaderCredentialStillWorksWithoutIt()
    {
        await using var gateway = await AuthGateway.StartAsync();
        await using var client = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", "?token=" + AuthGateway.StreamKey));

        var ready = await client.StartAsync();

        Assert.Equal("ready", ready.GetProperty("type").GetString());
    }
}
