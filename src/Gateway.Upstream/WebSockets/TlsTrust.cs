using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Upstream.WebSockets;

/// <summary>
/// Server certificate trust for wss:// upstreams. FunASR images serve a self-signed certificate by default, so besides
/// normal chain validation a certificate can be pinned by thumbprint (SHA-256 or SHA-1 hex), or, explicitly, any
/// certificate accepted (the pool logs a warning when that is configured).
/// </summary>
internal sealed class TlsTrust
{
    private readonly string? _pinned;

    public TlsTrust(string? pinnedThumbprint, bool acceptAnyCertificate)
    {
        _pinned = Normalize(pinnedThumbprint);
        AcceptAnyCertificate = acceptAnyCertificate;
    }

    public bool AcceptAnyCertificate { get; }

    public bool HasPin => _pinned is not null;

    /// <summary>A pin, when set, decides alone; otherwise a clean chain passes, and any certificate passes when allowed.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (_pinned is not null)
        {
            return certificate is not null && Matches(certificate, _pinned);
        }

        return errors == SslPolicyErrors.None || AcceptAnyCertificate;
    }

    public static string? Normalize(string? thumbprint)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        return new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
    }

    public static bool IsValidThumbprint(string thumbprint)
    {
        var normalized = Normalize(thumbprint);
        return normalized is { Length: 40 or 64 } && thumbprint.All(c => Uri.IsHexDigit(c) || c is ':' or ' ');
    }

    private static bool Matches(X509Certificate certificate, string pinned) =>
        pinned.Length == 64
            ? certificate.GetCertHashString(HashAlgorithmName.SHA256).Equals(pinned, StringComparison.OrdinalIgnoreCase)
            : certificate.GetCertHashString(HashAlgorithmName.SHA1).Equals(pinned, StringComparison.OrdinalIgnoreCase);
}
