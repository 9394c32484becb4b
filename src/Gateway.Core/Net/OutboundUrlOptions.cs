namespace Gateway.Core.Net;

/// <summary>Where the gateway may connect on a caller's behalf (job callbacks, URL ingest). Section <c>Outbound</c>.</summary>
public sealed class OutboundUrlOptions
{
    public const string Section = "Outbound";

    /// <summary>URL schemes allowed. Default https and http.</summary>
    public List<string> AllowedSchemes { get; set; } = ["https", "http"];

    /// <summary>When not empty, only these host names (exact, case-insensitive) are allowed. Default empty: any host that resolves to a public address.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Allow loopback, link-local, private (RFC 1918, fc00::/7), carrier-grade NAT and unspecified addresses.
    /// Default false: a caller cannot make the gateway reach its own network. Tests and single-host setups set it.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}
