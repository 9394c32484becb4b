using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// POSTs a finished job's result to its callback URL through the <see cref="OutboundUrlPolicy"/>: JSON body,
/// <c>X-Gateway-Signature: sha256=&lt;hex HMAC-SHA256 of the body with Jobs:CallbackSecret&gt;</c>, retried with
/// doubling delays (1 s, 2 s, ...) up to <see cref="JobsOptions.CallbackAttempts"/> on a network error or a 5xx/429.
/// </summary>
/// <remarks>Thread-safe; fire and forget per job (a slow receiver never holds a worker slot).</remarks>
public sealed partial class JobCallbacks : IDisposable
{
    public const string SignatureHeader = "X-Gateway-Signature";

    private readonly HttpClient _http;
    private readonly OutboundUrlPolicy _policy;
    private readonly JobsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public JobCallbacks(OutboundUrlPolicy policy, IOptions<JobsOptions> options, TimeProvider time, ILogger<JobCallbacks> logger)
    {
        _policy = policy;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _http = new HttpClient(policy.CreateHandler()) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The signature a receiver recomputes over the exact body bytes to check the callback came from us.</summary>
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Sends in the background; failures are logged (the result stays available from the API).</summary>
    public void Post(string url, string json) => _ = Task.Run(() => SendAsync(url, json), CancellationToken.None);

    internal async Task<bool> SendAsync(string url, string json)
    {
        if (!_policy.TryValidate(url, out var uri, out var error))
        {
            Log.CallbackFailed(_logger, url, error!, 0);
            return false;
        }

        var body = Encoding.UTF8.GetBytes(json);
        var signature = Sign(_options.CallbackSecret ?? "", body);
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; attempt <= _options.CallbackAttempts; attempt++)
        {
            string reason;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                request.Headers.Add(SignatureHeader, signature);
                using var response = await _http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
                if ((int)response.StatusCode < 500 && (int)response.StatusCode != 429)
                {
                    Log.CallbackFailed(_logger, OutboundUrlPolicy.Redact(uri!), reason, attempt);
                    return false; // the receiver refused it: retrying will not help
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                reason = ex.Message;
            }

            Log.CallbackFailed(_logger, OutboundUrlPolicy.Redact(uri!), reason, attempt);
            if (attempt < _options.CallbackAttempts)
            {
                await Task.Delay(delay, _time);
                delay *= 2;
            }
        }

        return false;
    }

    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = Diagnostics.EventIds.JobCallbackFailed, Level = LogLevel.Warning, Message = "Callback to {Url} failed: {Reason} (attempt {Attempt})")]
        public static partial void CallbackFailed(ILogger logger, string url, string reason, int attempt);
    }
}
