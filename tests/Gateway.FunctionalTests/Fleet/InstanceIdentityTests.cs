using System.Net.WebSockets;
using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.Resume.ResumeBadInputTests;

namespace Gateway.FunctionalTests.Fleet;

/// <summary>Which gateway served a client: the header, the native <c>ready</c>, and a resume token taken to the wrong one (docs/protocol.md §10).</summary>
public sealed class InstanceIdentityTests
{
    [Fact(Timeout = 30_000)]
    public async Task Instance_ConfiguredId_InTheHeaderAndInReady()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:InstanceId"] = "gw-7" });
        using var http = new HttpClient { BaseAddress = gateway.Http };

        using var health = await http.GetAsync("/healthz");
        Assert.Equal("gw-7", Assert.Single(health.Headers.GetValues("X-Gateway-Instance")));
        await using var client = await StreamClient.ConnectAsync(gateway.Stream());
        var ready = await client.StartAsync();
        Assert.Equal("gw-7", ready.GetProperty("instance").GetString());
        Assert.EndsWith(".gw-7", ready.GetProperty("resume_token").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Instance_HeaderOff_NoHeader()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:InstanceHeader"] = "false" });
        using var http = new HttpClient { BaseAddress = gateway.Http };

        using var health = await http.GetAsync("/healthz");
        Assert.False(health.Headers.Contains("X-Gateway-Instance"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Resume_TokenOfAnotherInstance_RefusedResumeOtherInstanceNamingIt()
    {
        await using var a = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:InstanceId"] = "gw-a" });
        await using var b = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:InstanceId"] = "gw-b" });
        await using var client = await StreamClient.ConnectAsync(a.Stream());
        var token = (await client.StartAsync()).GetProperty("resume_token").GetString()!;

        var (error, status) = await ResumeRawAsync(b, $"?resume={Uri.EscapeDataString(token)}&offset=0");

        Assert.Equal("resume_other_instance", error.GetProperty("code").GetString());
        Assert.Equal("""this session lives on gateway instance "gw-a", not "gw-b"; resume there (route by its X-Gateway-Instance) or start a new session""", error.GetProperty("message").GetString());
        Assert.Equal((WebSocketCloseStatus)4002, status);
    }
}
