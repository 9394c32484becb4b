using System.Net;
using System.Net.WebSockets;
using Gateway.Core.Auth;
using Gateway.FunctionalTests.Deepgram;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.FunctionalTests.Auth;

/// <summary>Revoking a key mid-session (admin API or a configuration reload) ends its live sessions and refuses new ones.</summary>
public sealed class RevocationTests
{
    [Fact(Timeout = 30_000)]
    public async Task AdminRevoke_LiveNativeSessionEndsWithKeyRevoked4401_KeyAndItsGrantsRefused()
    {
        await using var gateway = await AuthGateway.StartAsync(new() { ["Auth:Keys:0:MaxSessions"] = "0" });
        var grant = await AuthGateway.GrantAsync(gateway, AuthGateway.StreamKey, new { ttl_seconds = 60 });
        await using var client = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", "?token=" + AuthGateway.StreamKey));
        await client.StartAsync();
        await client.SendAudioAsync(new byte[3_200]);
        using var admin = AuthGateway.Client(gateway, AuthGateway.AdminKey);

        using var revoked = await admin.DeleteAsync("/v1/auth/keys/stream");
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Contains("\"sessions_ended\":1", await revoked.Content.ReadAsStringAsync());
        var disconnect = messages[^1];
        Assert.Equal("disconnect", disconnect.GetProperty("type").GetString());
        Assert.Equal("key_revoked", disconnect.GetProperty("reason").GetString());
        Assert.Equal(4401, (int)client.CloseStatus!);
        Assert.Equal("key revoked", client.CloseDescription);

        var (keyStatus, _) = await DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/stream", "?token=" + AuthGateway.StreamKey));
        var (grantStatus, grantHeaders) = await DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/stream", "?token=" + grant));
        Assert.Equal(HttpStatusCode.Unauthorized, keyStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, grantStatus);
        Assert.Equal("the key that issued this grant no longer exists", grantHeaders["dg-error"].Single());
        using var again = await admin.DeleteAsync("/v1/auth/keys/stream");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminRevoke_ResumedNativeSession_EndsWithKeyRevoked4401LikeALiveOne()
    {
        await using var gateway = await AuthGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new Resume.ResumingStream(gateway, proxy, "token=" + AuthGateway.StreamKey);
        await stream.StartAsync();
        await stream.SendAsync(new byte[6_400]);
        await stream.WaitAckedAsync(3_200);
        await stream.CutAsync();
        var ready = await stream.ResumeAsync();
        Assert.Equal("ready", ready.GetProperty("type").GetString());
        using var admin = AuthGateway.Client(gateway, AuthGateway.AdminKey);

        using var revoked = await admin.DeleteAsync("/v1/auth/keys/stream");
        var messages = await stream.WaitClosedAsync();

        Assert.Contains("\"sessions_ended\":1", await revoked.Content.ReadAsStringAsync());
        var disconnect = messages[^1];
        Assert.Equal("disconnect", disconnect.GetProperty("type").GetString());
        Assert.Equal("key_revoked", disconnect.GetProperty("reason").GetString());
        Assert.Equal(4401, (int)stream.Current.CloseStatus!);
        Assert.Equal("key revoked", stream.Current.CloseDescription);
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminRevoke_OtherKeysSessionsGoOn()
    {
        const string otherKey = "sk-other-0123456789";
        await using var gateway = await AuthGateway.StartAsync(new()
        {
            ["Auth:Keys:3:Name"] = "other",
            ["Auth:Keys:3:Hash"] = ApiKeys.HashOf(otherKey),
            ["Auth:Keys:3:Scopes:0"] = Scopes.Stream,
        });
        await using var revokedClient = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", "?token=" + AuthGateway.StreamKey));
        await revokedClient.StartAsync();
        await using var other = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", "?token=" + otherKey));
        await other.StartAsync();
        using var admin = AuthGateway.Client(gateway, AuthGateway.AdminKey);

        (await admin.DeleteAsync("/v1/auth/keys/stream")).Dispose();
        await revokedClient.ReceiveUntilClosedAsync();
        await other.SendAudioAsync(new byte[3_200]);
        await other.SendJsonAsync(new { type = "close" });
        await other.ReceiveUntilClosedAsync();

        Assert.Equal(4401, (int)revokedClient.CloseStatus!);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, other.CloseStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminRevoke_WithoutAdminScope403()
    {
        await using var gateway = await AuthGateway.StartAsync();
        using var jobs = AuthGateway.Client(gateway, AuthGateway.JobsKey);

        using var response = await jobs.DeleteAsync("/v1/auth/keys/stream");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 40_000)]
    public async Task ConfigReload_KeyRemoved_LiveDeepgramSessionClosed1008InvalidAuth()
    {
        var directory = Directory.CreateTempSubdirectory("gateway-keys-");
        try
        {
            var file = Path.Combine(directory.FullName, "keys.json");
            await File.WriteAllTextAsync(file, KeysJson(withStream: true));
            await using var gateway = await AuthGateway.StartAsync(configure: b => b.Configuration.AddJsonFile(file, optional: false, reloadOnChange: true));
            await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen?encoding=linear16&sample_rate=16000&token=" + ReloadKey));
            await client.SendAudioAsync(new byte[3_200]);

            await File.WriteAllTextAsync(file, KeysJson(withStream: false));
            await client.ReceiveUntilClosedAsync();

            Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
            Assert.StartsWith("INVALID_AUTH", client.CloseDescription);
            var (status, _) = await DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/listen?encoding=linear16&sample_rate=16000&token=" + ReloadKey));
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private const string ReloadKey = "sk-reload-0123456789";

    /// <summary>The three standard keys plus (or minus) a fourth, as a reloadable appsettings-style file.</summary>
    private static string KeysJson(bool withStream)
    {
        var reload = withStream ? $$""", {"Name":"reload","Hash":"{{ApiKeys.HashOf(ReloadKey)}}","Scopes":["stream"]}""" : "";
        return $$$"""
            {"Auth":{"Keys":[
              {"Name":"stream","Hash":"{{{ApiKeys.HashOf(AuthGateway.StreamKey)}}}","Scopes":["stream"],"MaxSessions":1,"UploadBytesPerDay":100000},
              {"Name":"jobs","Hash":"{{{ApiKeys.HashOf(AuthGateway.JobsKey)}}}","Scopes":["jobs"]},
              {"Name":"admin","Hash":"{{{ApiKeys.HashOf(AuthGateway.AdminKey)}}}","Scopes":["admin"]}{{{reload}}}
            ]}}
            """;
    }
}
