namespace Gateway.Core.Fetching;

/// <summary>Fetching a URL on a caller's behalf (Deepgram's <c>{"url": ...}</c>). Section <c>Fetch</c>.</summary>
public sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>
    /// Allow loopback, private (RFC 1918, ULA), link-local (cloud metadata at 169.254.169.254), CGNAT and multicast
    /// addresses. Default false: a caller cannot make the gateway reach its own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The whole fetch, headers and body. Default 60 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Redirects followed; each is checked like the first URL. Default 3.</summary>
    public int MaxRedirects { get; set; } = 3;
}
