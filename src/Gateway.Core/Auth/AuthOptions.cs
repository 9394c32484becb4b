namespace Gateway.Core.Auth;

/// <summary>Authentication, quotas and browser safety. Section <c>Auth</c> (docs/security.md).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// True: every endpoint needs a key or grant. False: open. Null (default): open only when every address the
    /// gateway listens on is loopback, so a gateway exposed to a network is never open by accident.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The API keys. Default none.</summary>
    public List<AuthKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// Base64 secret (at least 32 bytes) that signs grants; every instance behind one load balancer needs the same.
    /// Default none: a random secret per process (grants then die with it).
    /// </summary>
    public string? GrantSecret { get; set; }

    /// <summary>Default lifetime of a grant. Default 60 s (Deepgram's temporary tokens live 30 s).</summary>
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest lifetime a caller may ask for. Default 1 hour.</summary>
    public TimeSpan MaxGrantLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Origins (<c>https://app.example.com</c>) allowed to open WebSockets and call the REST API from a browser, besides the gateway's own. Default none.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary><c>/metrics</c> without a key (for a scraper on a private network). Default false: the <c>metrics</c> scope.</summary>
    public bool MetricsOpen { get; set; }

    /// <summary>
    /// FunASR clients have no credential field: <c>token</c> (default) makes them send <c>?token=</c> in the URL;
    /// <c>network</c> admits callers from <see cref="FunAsrNetworks"/> without one.
    /// </summary>
    public string FunAsr { get; set; } = FunAsrAuthModes.Token;

    /// <summary>CIDR blocks (<c>10.0.0.0/8</c>) whose FunASR clients need no token when <see cref="FunAsr"/> is <c>network</c>.</summary>
    public List<string> FunAsrNetworks { get; set; } = [];
}

/// <summary>Values of <see cref="AuthOptions.FunAsr"/>.</summary>
public static class FunAsrAuthModes
{
    public const string Token = "token";
    public const string Network = "network";
}
