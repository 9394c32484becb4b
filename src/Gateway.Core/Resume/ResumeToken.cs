using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Core.Resume;

/// <summary>A resume token: 256 bits from the OS CSPRNG, base64url. It names nothing; only the registry maps it to a session.</summary>
internal static class ResumeToken
{
    private const int Bytes = 32;

    public static string New()
    {
        Span<byte> random = stackalloc byte[Bytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
