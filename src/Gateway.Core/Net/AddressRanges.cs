using System.Net;
using System.Net.Sockets;

namespace Gateway.Core.Net;

/// <summary>
/// The one list of addresses a caller may not make the gateway reach (SSRF protection, docs/security.md): loopback
/// (127/8, ::1), unspecified (0/8, ::), RFC 1918 and ULA (fc00::/7) private networks, link-local (169.254/16 with
/// the cloud metadata address, fe80::/10), site-local (fec0::/10), carrier-grade NAT (100.64/10), the IETF protocol
/// block (192.0.0/24), TEST-NET-1 (192.0.2/24), benchmarking (198.18/15), multicast, reserved and broadcast (224/3,
/// ff00::/8). IPv4-mapped IPv6 addresses are judged as their IPv4 address. Used by <see cref="OutboundUrlPolicy"/>
/// for every outbound connection and by the ingests' URL check (ffmpeg connects itself).
/// </summary>
public static class AddressRanges
{
    /// <summary>True for an address of the gateway's own host or network (denied unless <c>Outbound:AllowPrivateNetworks</c>).</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and < 128, // carrier-grade NAT 100.64/10
            169 => b[1] == 254, // link-local, cloud metadata 169.254.169.254
            172 => b[1] is >= 16 and < 32,
            192 => b[1] == 168 || (b[1] == 0 && b[2] is 0 or 2), // RFC 1918; IETF protocol block; TEST-NET-1
            198 => b[1] is 18 or 19, // benchmarking 198.18/15
            >= 224 => true, // multicast, reserved, broadcast
            _ => false,
        };
    }
}
