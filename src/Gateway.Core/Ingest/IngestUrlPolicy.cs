using System.Net;
using System.Net.Sockets;

namespace Gateway.Core.Ingest;

/// <summary>
/// SSRF protection for the URLs ffmpeg pulls for an ingest (it connects itself, so the address is checked after resolving here, not in a connect callback as Net/OutboundUrlPolicy does for HttpClient): the scheme must be allowed, the host
/// must be on the allow-list when one is set, and every address the host resolves to must be public unless private
/// networks are allowed (loopback, RFC 1918, link-local incl. cloud metadata 169.254.169.254, CGNAT, ULA, multicast).
/// </summary>
/// <remarks>
/// The check resolves the name itself; the fetcher (ffmpeg) resolves it again, so a hostile DNS server could
/// answer differently the second time (rebinding). A host allow-list closes that gap; docs/ingest.md says so.
/// Thread-safe and stateless apart from its settings.
/// </remarks>
public sealed class IngestUrlPolicy
{
    private readonly HashSet<string> _schemes;
    private readonly HashSet<string> _hosts;
    private readonly bool _allowPrivate;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public IngestUrlPolicy(IEnumerable<string> schemes, IEnumerable<string> hosts, bool allowPrivateNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _schemes = new HashSet<string>(schemes, StringComparer.OrdinalIgnoreCase);
        _hosts = new HashSet<string>(hosts, StringComparer.OrdinalIgnoreCase);
        _allowPrivate = allowPrivateNetworks;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public IReadOnlyCollection<string> Schemes => _schemes;

    /// <summary>Null when the URL may be fetched, otherwise why not (safe to show: credentials are never echoed).</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsUnc)
        {
            return "the url must be absolute, like rtsp://camera.example/stream";
        }

        if (!_schemes.Contains(uri.Scheme))
        {
            return $"scheme \"{uri.Scheme}\" is not allowed; allowed: {string.Join(", ", _schemes.Order(StringComparer.Ordinal))}";
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (host.Length == 0)
        {
            return "the url has no host";
        }

        if (_hosts.Count > 0 && !_hosts.Contains(host))
        {
            return $"host \"{host}\" is not on the allow-list";
        }

        if (_allowPrivate)
        {
            return null;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                return $"host \"{host}\" could not be resolved ({ex.SocketErrorCode})";
            }
        }

        if (addresses.Length == 0)
        {
            return $"host \"{host}\" could not be resolved";
        }

        foreach (var address in addresses)
        {
            if (IsPrivate(address))
            {
                return $"host \"{host}\" resolves to {address}, a loopback, private or link-local address; these are denied unless allowed in configuration";
            }
        }

        return null;
    }

    /// <summary>The URL without its user info (<c>rtsp://user:pass@cam/x</c> becomes <c>rtsp://***@cam/x</c>), for logs, metrics and answers.</summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(invalid url)";
        }

        if (uri.UserInfo.Length == 0)
        {
            return uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
        }

        var builder = new UriBuilder(uri) { UserName = "***", Password = "" };
        return builder.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
    }

    public static bool IsPrivate(IPAddress address)
    {
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
            100 => b[1] is >= 64 and < 128, // CGNAT 100.64/10
            169 => b[1] == 254, // link-local, cloud metadata
            172 => b[1] is >= 16 and < 32,
            192 => b[1] == 168 || (b[1] == 0 && b[2] is 0 or 2),
            198 => b[1] is 18 or 19,
            >= 224 => true, // multicast, reserved, broadcast
            _ => false,
        };
    }
}
