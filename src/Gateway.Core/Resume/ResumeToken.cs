using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Core.Resume;

/// <summary>
/// A resume token: 256 bits from the OS CSPRNG, base64url, then <c>.</c> and the instance that issued it, so another
/// instance can say where the session lives. Only the issuing registry maps it to a session.
/// </summary>
internal static class ResumeToken
{
    private const int Bytes = 32;

    public static string New(string instance)
    {
        Span<byte> random = stackalloc byte[Bytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random) + "." + instance;
    }

    /// <summary>The instance named in a token (after its first <c>.</c>), or null for a token without one.</summary>
    public static string? Issuer(string token) => token.IndexOf('.') is var dot and >= 0 ? token[(dot + 1)..] : null;
}
