using System.Net;
using System.Net.Sockets;
using Gateway.Core.Net;

namespace Gateway.Core.Ingest;

/// <summary>
/// SSRF protection for the URLs ffmpeg pulls for an ingest: the scheme must be one of the ingests' own
/// (<c>Ingests:AllowedSchemes</c>; ffmpeg is also bounded by <c>-protocol_whitelist</c>), the host must be on
/// <c>Ingests:AllowedHosts</c> when that is set, and every address the host resolves to must pass the gateway's one
/// outbound address rule (<see cref="OutboundUrlPolicy.IsAllowed"/>: <see cref="AddressRanges"/> unless
/// <c>Outbound:AllowPrivateNetworks</c>). ffmpeg connects itself, so the address is checked here after resolving,
/// not in a connect callback as the outbound policy's HTTP handler does.
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
    private readonly OutboundUrlPolicy _outbound;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public IngestUrlPolicy(IEnumerable<string> schemes, IEnumerable<string> hosts, OutboundUrlPolicy outbound, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _schemes = new HashSet<string>(schemes, StringComparer.OrdinalIgnoreCase);
        _hosts = new HashSet<string>(hosts, StringComparer.OrdinalIgnoreCase);
        _outbound = outbound;
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

        if (_outbound.AllowPrivateNetworks)
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
            if (!_outbound.IsAllowed(address))
            {
                return $"host \"{host}\" resolves to {address}, a loopback, private or link-local address; these are denied unless Outbound:AllowPrivateNetworks is true";
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
}
