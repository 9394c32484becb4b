namespace Gateway.Core.Fetching;

/// <summary>
/// How a caller's URL is fetched (Deepgram's and the jobs API's <c>{"url": ...}</c>). Section <c>Fetch</c>.
/// Where it may connect is decided by the outbound policy (section <c>Outbound</c>), not here.
/// </summary>
public sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>The whole fetch, redirects, headers and body. Default 60 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Redirects followed; each target is checked by the outbound policy like the first URL. Default 3.</summary>
    public int MaxRedirects { get; set; } = 3;
}
