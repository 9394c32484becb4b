using System.Net;
using Gateway.Core.Ingest;

namespace Gateway.UnitTests.Ingest;

public sealed class IngestUrlPolicyTests
{
    private static IngestUrlPolicy Policy(params IPAddress[] resolved) =>
        new(["rtsp", "https"], [], allowPrivateNetworks: false, (_, _) => Task.FromResult(resolved));

    [Theory]
    [InlineData("127.0.0.53")]
    [InlineData("10.0.0.1")]
    [InlineData("172.31.255.1")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void IsPrivate_LocalRanges_True(string address) => Assert.True(IngestUrlPolicy.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    public void IsPrivate_PublicAddresses_False(string address) => Assert.False(IngestUrlPolicy.IsPrivate(IPAddress.Parse(address)));

    [Fact]
    public async Task Check_NameResolvingToOnePrivateAddressAmongPublicOnes_Denied()
    {
        var reason = await Policy(IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.7")).CheckAsync("rtsp://cam.example/x", CancellationToken.None);

        Assert.Equal("host \"cam.example\" resolves to 10.0.0.7, a loopback, private or link-local address; these are denied unless allowed in configuration", reason);
    }

    [Fact]
    public async Task Check_PublicNameAllowedScheme_Allowed() =>
        Assert.Null(await Policy(IPAddress.Parse("8.8.8.8")).CheckAsync("https://cdn.example/live.m3u8", CancellationToken.None));

    [Fact]
    public async Task Check_SchemeNotAllowed_NamesTheAllowedOnes() =>
        Assert.Equal("scheme \"http\" is not allowed; allowed: https, rtsp", await Policy().CheckAsync("http://cdn.example/x", CancellationToken.None));

    [Theory]
    [InlineData("rtsp://admin:hunter2@cam.example:554/live", "rtsp://***@cam.example:554/live")]
    [InlineData("https://token@cdn.example/a.m3u8?x=1", "https://***@cdn.example/a.m3u8?x=1")]
    [InlineData("srt://cdn.example:9000", "srt://cdn.example:9000/")]
    public void Redact_UserInfo_Replaced(string url, string expected) => Assert.Equal(expected, IngestUrlPolicy.Redact(url));
}
