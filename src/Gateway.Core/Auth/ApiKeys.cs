using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

/// <summary>
/// The configured API keys, held only as SHA-256 hashes. A presented key is hashed and compared against every
/// stored hash with <see cref="CryptographicOperations.FixedTimeEquals"/>, without stopping at a match, so the time
/// taken says nothing about which key (or how much of one) matched.
/// </summary>
/// <remarks>
/// Keys follow the configuration: when <c>Auth:Keys</c> is reloaded (appsettings.json is watched), a key that is
/// gone, or whose hash changed, is revoked: <see cref="Revoked"/> fires with its name and the live sessions it
/// opened end (<see cref="KeyRevocations"/>). <see cref="Revoke"/> does the same at run time (admin API) until the
/// process restarts. Thread-safe: the key list is swapped whole.
/// </remarks>
public sealed class ApiKeys : IDisposable
{
    private const string Prefix = "sha256:";
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly IDisposable? _reload;
    private (byte[] Hash, AuthKeyOptions Key)[] _keys;

    public ApiKeys(IOptionsMonitor<AuthOptions> options)
    {
        _keys = Load(options.CurrentValue.Keys);
        _reload = options.OnChange(changed => Reload(changed.Keys));
    }

    internal ApiKeys(IEnumerable<AuthKeyOptions> keys) => _keys = Load(keys);

    /// <summary>A key was removed from the configuration, its hash changed, or it was revoked at run time (its name).</summary>
    public event Action<string>? Revoked;

    public int Count => Volatile.Read(ref _keys).Length;

    /// <summary>The keys in use (configured and not revoked).</summary>
    public IEnumerable<AuthKeyOptions> All => Volatile.Read(ref _keys).Select(k => k.Key).Where(k => !IsRevoked(k.Name));

    /// <summary>The key with this name, or null when it is unknown or revoked.</summary>
    public AuthKeyOptions? Find(string name) =>
        IsRevoked(name) ? null : Volatile.Read(ref _keys).FirstOrDefault(k => k.Key.Name == name).Key;

    public bool IsRevoked(string name) => _revoked.ContainsKey(name);

    /// <summary>The key whose hash matches <paramref name="presented"/>, or null.</summary>
    public AuthKeyOptions? Verify(string presented)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        AuthKeyOptions? found = null;
        foreach (var (stored, key) in Volatile.Read(ref _keys))
        {
            // No early exit: every stored hash is compared, match or not.
            if (CryptographicOperations.FixedTimeEquals(stored, hash) & found is null)
            {
                found = key;
            }
        }

        return found is not null && IsRevoked(found.Name) ? null : found;
    }

    /// <summary>Revokes a key until the process restarts (remove it from the configuration to make it permanent). False when no such key.</summary>
    public bool Revoke(string name)
    {
        if (Volatile.Read(ref _keys).All(k => k.Key.Name != name) || !_revoked.TryAdd(name, true))
        {
            return false;
        }

        Revoked?.Invoke(name);
        return true;
    }

    public void Dispose() => _reload?.Dispose();

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

    private void Reload(IEnumerable<AuthKeyOptions> keys)
    {
        var next = Load(keys);
        var previous = Interlocked.Exchange(ref _keys, next);
        foreach (var (hash, key) in previous)
        {
            if (!next.Any(n => n.Key.Name == key.Name && CryptographicOperations.FixedTimeEquals(n.Hash, hash)))
            {
                Revoked?.Invoke(key.Name);
            }
        }
    }

    private static (byte[] Hash, AuthKeyOptions Key)[] Load(IEnumerable<AuthKeyOptions> keys) =>
        keys.Select(k => (TryParseHash(k.Hash, out var hash) ? hash : new byte[32], k)).ToArray();
}
