using System.Net;
using Gateway.Core.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Fetching;

/// <summary>
/// Fetches a caller's URL as a stream with a timeout, a redirect limit and a size limit. Every allow/deny decision is
/// the <see cref="OutboundUrlPolicy"/>'s: the URL's scheme and host, each redirect target (followed here, not by the
/// handler, so each is checked), and the address actually connected (the policy's handler checks it at connect time,
/// so DNS rebinding cannot slip through).
/// </summary>
public sealed class SafeFetcher : IDisposable
{
    private readonly FetchOptions _options;
    private readonly OutboundUrlPolicy _policy;
    private readonly HttpClient _http;

    public SafeFetcher(OutboundUrlPolicy policy, IOptions<FetchOptions> options)
    {
        _policy = policy;
        _options = options.Value;
        var handler = policy.CreateHandler();
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(1);
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Copies the body of <paramref name="url"/> to <paramref name="destination"/>; throws <see cref="FetchRefusedException"/>.</summary>
    public async Task<long> CopyToAsync(string url, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            using var response = await GetAsync(url, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new FetchRefusedException($"fetching the url answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw new FetchRefusedException($"the url's body ({response.Content.Headers.ContentLength} bytes) exceeds the limit of {maxBytes} bytes", tooLarge: true);
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, deadline.Token)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new FetchRefusedException($"the url's body exceeds the limit of {maxBytes} bytes", tooLarge: true);
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), deadline.Token);
            }

            return total;
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refused)
        {
            throw new FetchRefusedException($"the url was refused: {refused.Message}", denied: true, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new FetchRefusedException($"the url could not be fetched: {ex.Message}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FetchRefusedException($"fetching the url took longer than {_options.Timeout.TotalSeconds:0} s", inner: ex);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>GETs the URL, following at most <see cref="FetchOptions.MaxRedirects"/> redirects, each target checked by the policy.</summary>
    private async Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken)
    {
        if (!_policy.TryValidate(url, out var uri, out var error))
        {
            throw new FetchRefusedException($"the url was refused: {error}", denied: true);
        }

        for (var redirects = 0; ; redirects++)
        {
            var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (redirects >= _options.MaxRedirects)
            {
                throw new FetchRefusedException($"the url redirected more than {_options.MaxRedirects} times (Fetch:MaxRedirects)");
            }

            var next = location.IsAbsoluteUri ? location : new Uri(uri!, location);
            if (!_policy.TryValidate(next.AbsoluteUri, out uri, out error))
            {
                throw new FetchRefusedException($"the url redirected to a refused target: {error}", denied: true);
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static OutboundRefusedException? Refusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is OutboundRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
