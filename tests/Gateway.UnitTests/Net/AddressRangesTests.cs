using System.Net;
using Gateway.Core.Net;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Net;

/// <summary>The one private/loopback/link-local rule, as the outbound policy (HTTP) applies it; the ingests' policy uses the same (IngestUrlPolicyTests).</summary>
public sealed class AddressRangesTests
{
    public static TheoryData<string> PrivateAddresses => new()
    {
        "127.0.0.53", "0.0.0.0", "10.0.0.1", "172.16.0.1", "172.31.255.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.254", "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.19.255.1", "224.0.0.1", "255.255.255.255",
        "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
    };

    public static TheoryData<string> PublicAddresses => new()
    {
        "8.8.8.8", "1.1.1.1", "172.15.255.1", "172.32.0.1", "100.63.0.1", "100.128.0.1", "192.169.0.1", "198.20.0.1",
        "2001:4860:4860::8888", "::ffff:8.8.8.8",
    };

    [Theory]
    [MemberData(nameof(PrivateAddresses))]
    public void IsPrivate_LocalRanges_TrueAndRefusedByTheOutboundPolicy(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.True(AddressRanges.IsPrivate(ip));
        Assert.False(Policy(allowPrivate: false).IsAllowed(ip));
        Assert.True(Policy(allowPrivate: true).IsAllowed(ip));
    }

    [Theory]
    [MemberData(nameof(PublicAddresses))]
    public void IsPrivate_PublicAddresses_FalseAndAllowed(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.False(AddressRanges.IsPrivate(ip));
        Assert.True(Policy(allowPrivate: false).IsAllowed(ip));
    }

    internal static OutboundUrlPolicy Policy(bool allowPrivate) =>
        new(Options.Create(new OutboundUrlOptions { AllowPrivateNetworks = allowPrivate }));
}
