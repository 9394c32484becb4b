using System.Net;
using Gateway.Core.Ingest;
using Gateway.UnitTests.Net;

namespace Gateway.UnitTests.Ingest;

public sealed class IngestUrlPolicyTests
{
    private static IngestUrlPolicy Policy(bool allowPrivate, params IPAddress[] resolved) =>
        new(["rtsp", "https"], [], AddressRangesTests.Policy(allowPrivate), (_, _) => Task.FromResult(resolved));

    private static IngestUrlPolicy Policy(params IPAddress[] resolved) => Policy(allowPrivate: false, resolved);

    /// <summary>The ingests' address rule is the outbound policy's: every range it refuses, the ingest check refuses after resolving.</summary>
    [Theory]
    [MemberData(nameof(AddressRangesTests.PrivateAddresses), MemberType = typeof(AddressRangesTests))]
    public async Task Check_NameResolvingToAPrivateRange_DeniedUnlessOutboundAllowsPrivateNetworks(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Equal(
            $"host \"cam.example\" resolves to {ip}, a loopback, private or link-local address; these are denied unless Outbound:AllowPrivateNetworks is true",
            await Policy(ip).CheckAsync("rtsp://cam.example/x", CancellationToken.None));
        Assert.Null(await Policy(allowPrivate: true, ip).CheckAsync("rtsp://cam.example/x", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(AddressRangesTests.PublicAddresses), MemberType = typeof(AddressRangesTests))]
    public async Task Check_NameResolvingToAPublicAddress_Allowed(string address) =>
        Assert.Null(await Policy(IPAddress.Parse(address)).CheckAsync("rtsp://cam.example/x", CancellationToken.None));

    [Fact]
    public async Task Check_NameResolvingToOnePrivateAddressAmongPublicOnes_Denied()
    {
        var reason = await Policy(IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.7")).CheckAsync("rtsp://cam.example/x", CancellationToken.None);

        Assert.Equal("host \"cam.example\" resolves to 10.0.0.7, a loopback, private or link-local address; these are denied unless Outbound:AllowPrivateNetworks is true", reason);
    }

    [Fact]
    public async Task Check_PrivateLiteral_DeniedWithoutResolving() =>
        Assert.Contains("resolves to 169.254.169.254", await Policy().CheckAsync("https://169.254.169.254/latest/meta-data/", CancellationToken.None));

    [Fact]
    public async Task Check_PublicNameAllowedScheme_Allowed() =>
        Assert.Null(await Policy(IPAddress.Parse("8.8.8.8")).CheckAsync("https://cdn.example/live.m3u8", CancellationToken.None));

    /// <summary>The scheme list is the ingests' own (rtsp, srt, ...), not the outbound policy's http(s).</summary>
    [Fact]
    public async Task Check_SchemeNotAllowed_NamesTheIngestSchemes() =>
        Assert.Equal("scheme \"http\" is not allowed; allowed: https, rtsp", await Policy(allowPrivate: true).CheckAsync("http://cdn.example/x", CancellationToken.None));

    [Theory]
    [InlineData("rtsp://admin:hunter2@cam.example:554/live", "rtsp://***@cam.example:554/live")]
    [InlineData("https://token@cdn.example/a.m3u8?x=1", "https://***@cdn.example/a.m3u8?x=1")]
    [InlineData("srt://cdn.example:9000", "srt://cdn.example:9000/")]
    public void Redact_UserInfo_Replaced(string url, string expected) => Assert.Equal(expected, IngestUrlPolicy.Redact(url));
}
