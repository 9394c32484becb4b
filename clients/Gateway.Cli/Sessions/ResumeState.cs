namespace Gateway.Cli.Sessions;

/// <summary>What a reconnect presents (docs/protocol.md §10): the latest token, the window it is good for, and how many finals arrived.</summary>
/// <remarks>Touched by the event loop only, and read by the reconnect after that loop has ended.</remarks>
internal sealed class ResumeState
{
    /// <summary>Until a <c>ready</c> says otherwise: the gateway's default window.</summary>
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(30);

    /// <summary>The token of the latest <c>ready</c>; null when the gateway offers no resume (or no ready came yet).</summary>
    public string? Token { get; set; }

    public TimeSpan Window { get; set; } = DefaultWindow;

    /// <summary>Finals and segment errors received, across every connection: the <c>finals</c> a resume presents.</summary>
    public long Finals { get; set; }

    /// <summary>The reconnect URL: the server's, with <c>resume</c>, <c>offset</c> and <c>finals</c> added to its query.</summary>
    public Uri ResumeUri(Uri server, long offset)
    {
        var query = server.Query.TrimStart('?');
        var builder = new UriBuilder(server)
        {
            Query = (query.Length > 0 ? query + "&" : "") + $"resume={Uri.EscapeDataString(Token!)}&offset={offset}&finals={Finals}",
        };
        return builder.Uri;
    }
}
