using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Net;

/// <summary>
/// The one SSRF guard for every URL the gateway fetches or posts to on a caller's behalf (job callbacks,
/// <see cref="Fetching.SafeFetcher"/> for Deepgram's and the jobs API's <c>{"url"}</c>): allowed schemes, an optional
/// host allow-list, and no loopback, link-local or private address unless <see cref="OutboundUrlOptions.AllowPrivateNetworks"/>.
/// The address check runs in the HTTP handler's connect callback on the address actually connected, so a name that
/// resolves to a public address when checked and a private one when used (DNS rebinding) is still refused.
/// </summary>
/// <remarks>Thread-safe; share one instance and one handler from <see cref="CreateHandler"/>.</remarks>
public sealed class OutboundUrlPolicy
{
    private readonly OutboundUrlOptions _options;

    public OutboundUrlPolicy(IOptions<OutboundUrlOptions> options) => _options = options.Value;

    /// <summary>Checks the URL's form (scheme, host); the address is checked at connect time. Error names the URL redacted.</summary>
    public bool TryValidate(string? url, out Uri? uri, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = "the URL is not an absolute http(s) URL";
            return false;
        }

        if (!_options.AllowedSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            error = $"the URL scheme '{uri.Scheme}' is not allowed (allowed: {string.Join(", ", _options.AllowedSchemes)})";
            return false;
        }

        if (_options.AllowedHosts.Count > 0 && !_options.AllowedHosts.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase))
        {
            error = $"the host of {Redact(uri)} is not in Outbound:AllowedHosts";
            return false;
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && !IsAllowed(literal))
        {
            error = $"{Redact(uri)} points at a private, loopback or link-local address";
            return false;
        }

        return true;
    }

    /// <summary>Whether loopback, private and link-local addresses are allowed (<see cref="OutboundUrlOptions.AllowPrivateNetworks"/>).</summary>
    public bool AllowPrivateNetworks => _options.AllowPrivateNetworks;

    /// <summary>True for a public address (<see cref="AddressRanges"/>), or for any address when private networks are allowed.</summary>
    public bool IsAllowed(IPAddress address) => _options.AllowPrivateNetworks || !AddressRanges.IsPrivate(address);

    /// <summary>An HTTP handler that connects only to allowed addresses (checked after DNS resolution) and follows no redirects.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false, // a redirect would leave the checked URL
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = addresses.FirstOrDefault(IsAllowed)
                ?? throw new OutboundRefusedException($"{host} resolves only to addresses the outbound policy refuses (private, loopback or link-local; Outbound:AllowPrivateNetworks)");
            var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The URL without credentials, query or fragment, for logs and error messages.</summary>
    public static string Redact(Uri uri) => $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
}
