using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Fetching;

/// <summary>
/// Fetches a caller's URL without letting the caller reach the gateway's own network (SSRF): http and https only,
/// no proxy, and every connection, redirects included, goes to an address resolved and checked here, so a DNS
/// answer that changes between check and connect (rebinding) cannot slip through. The body is counted against a
/// limit as it streams.
/// </summary>
public sealed class SafeFetcher : IDisposable
{
    private readonly FetchOptions _options;
    private readonly HttpClient _http;

    public SafeFetcher(IOptions<FetchOptions> options)
    {
        _options = options.Value;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = _options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, _options.MaxRedirects),
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _http = new HttpClient(handler) { Timeout = _options.Timeout };
    }

    /// <summary>Copies the body of <paramref name="url"/> to <paramref name="destination"/>; throws <see cref="FetchRefusedException"/>.</summary>
    public async Task<long> CopyToAsync(string url, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FetchRefusedException($"url must be an absolute http or https URL (got \"{url}\")");
        }

        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new FetchRefusedException($"fetching the url answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw new FetchRefusedException($"the url's body ({response.Content.Headers.ContentLength} bytes) exceeds the limit of {maxBytes} bytes", tooLarge: true);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new FetchRefusedException($"the url's body exceeds the limit of {maxBytes} bytes", tooLarge: true);
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return total;
        }
        catch (HttpRequestException ex) when (ex.InnerException is FetchRefusedException refused)
        {
            throw refused;
        }
        catch (HttpRequestException ex)
        {
            throw new FetchRefusedException($"the url could not be fetched: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FetchRefusedException($"fetching the url took longer than {_options.Timeout.TotalSeconds:0} s", inner: ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => _options.AllowPrivateNetworks || AddressPolicy.IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new FetchRefusedException($"the url's host {host} resolves to a private, loopback or link-local address; the gateway does not fetch those (Fetch:AllowPrivateNetworks)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
