using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

/// <summary>
/// The configured API keys, held only as SHA-256 hashes. A presented key is hashed and compared against every
/// stored hash with <see cref="CryptographicOperations.FixedTimeEquals"/>, without stopping at a match, so the time
/// taken says nothing about which key (or how much of one) matched.
/// </summary>
public sealed class ApiKeys
{
    private const string Prefix = "sha256:";
    private readonly (byte[] Hash, AuthKeyOptions Key)[] _keys;

    public ApiKeys(IOptions<AuthOptions> options) =>
        _keys = options.Value.Keys.Select(k => (TryParseHash(k.Hash, out var hash) ? hash : new byte[32], k)).ToArray();

    public int Count => _keys.Length;

    public AuthKeyOptions? Find(string name) => _keys.FirstOrDefault(k => k.Key.Name == name).Key;

    /// <summary>The key whose hash matches <paramref name="presented"/>, or null.</summary>
    public AuthKeyOptions? Verify(string presented)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        AuthKeyOptions? found = null;
        foreach (var (stored, key) in _keys)
        {
            // No early exit: every stored hash is compared, match or not.
            if (CryptographicOperations.FixedTimeEquals(stored, hash) & found is null)
            {
                found = key;
            }
        }

        return found;
    }

    public static bool TryParseHash(string? text, out byte[] hash)
    {
        hash = [];
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + 64)
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(text.AsSpan(Prefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The configuration value for a key (what <c>Auth:Keys:N:Hash</c> holds).</summary>
    public static string HashOf(string key) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
