namespace Gateway.Upstream;

/// <summary>Certificate trust for a wss:// endpoint (<c>Upstream:Endpoints:n:Tls</c>). Default: platform validation only.</summary>
public sealed class UpstreamTlsOptions
{
    /// <summary>SHA-256 (64 hex) or SHA-1 (40 hex) thumbprint; when set, exactly that certificate is trusted. Default none.</summary>
    public string? PinnedThumbprint { get; set; }

    /// <summary>Trust any certificate (FunASR's bundled self-signed one). Logged as a warning at start. Default false.</summary>
    public bool AcceptAnyCertificate { get; set; }
}
