using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

/// <summary>
/// Short-lived grants for browsers, verified without any store lookup (like Deepgram's and AssemblyAI's temporary
/// keys): <c>g1.</c> base64url(JSON payload) <c>.</c> base64url(HMAC-SHA256(secret, "g1." + payload)). The payload
/// holds the issuing key's name, the scopes (never more than the key's), the expiry (Unix seconds) and an
/// optional room. The signature is checked in constant time before the payload is read.
/// </summary>
public sealed class GrantTokens
{
    public const string Prefix = "g1.";
    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public GrantTokens(IOptions<AuthOptions> options, TimeProvider time)
    {
        _time = time;
        _secret = options.Value.GrantSecret is { } configured && TryDecodeSecret(configured, out var secret) ? secret : RandomNumberGenerator.GetBytes(32);
    }

    public string Issue(string keyName, IEnumerable<string> scopes, TimeSpan lifetime, string? room)
    {
        using var payload = new MemoryStream();
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("k", keyName);
            json.WriteStartArray("s");
            foreach (var scope in scopes)
            {
                json.WriteStringValue(scope);
            }

            json.WriteEndArray();
            json.WriteNumber("exp", (_time.GetUtcNow() + lifetime).ToUnixTimeSeconds());
            if (room is not null)
            {
                json.WriteString("r", room);
            }

            json.WriteEndObject();
        }

        var body = Prefix + Base64Url.EncodeToString(payload.ToArray());
        return body + "." + Base64Url.EncodeToString(Sign(body));
    }

    /// <summary>The grant's caller, or null (and why) when it is malformed, tampered with or expired.</summary>
    public Caller? Verify(string token, out string? problem)
    {
        problem = "the grant is malformed";
        var dot = token.LastIndexOf('.');
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || dot <= Prefix.Length)
        {
            return null;
        }

        var body = token[..dot];
        Span<byte> signature = stackalloc byte[32];
        if (!Base64Url.TryDecodeFromChars(token.AsSpan(dot + 1), signature, out var length) || length != 32)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(body)))
        {
            problem = "the grant's signature does not match";
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(body.AsSpan(Prefix.Length)));
            var root = payload.RootElement;
            var expires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
            if (expires <= _time.GetUtcNow())
            {
                problem = "the grant has expired";
                return null;
            }

            problem = null;
            var scopes = root.GetProperty("s").EnumerateArray().Select(s => s.GetString()!).ToHashSet(StringComparer.Ordinal);
            var room = root.TryGetProperty("r", out var r) ? r.GetString() : null;
            return new Caller(root.GetProperty("k").GetString()!, scopes, ViaGrant: true, room);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public static bool TryDecodeSecret(string text, out byte[] secret)
    {
        secret = [];
        try
        {
            secret = Convert.FromBase64String(text);
            return secret.Length >= 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private byte[] Sign(string body) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(body));
}
