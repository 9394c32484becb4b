using System.Security.Cryptography;
using System.Text;

namespace Gateway.Upstream.WebSockets;

/// <summary>RFC 6455 §4.1 opening handshake, client side: the request text and the response checks. No I/O here.</summary>
internal static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A fresh Sec-WebSocket-Key: 16 random bytes, base64.</summary>
    public static string CreateKey()
    {
        Span<byte> nonce = stackalloc byte[16];
        RandomNumberGenerator.Fill(nonce);
        return Convert.ToBase64String(nonce);
    }

    /// <summary>The value the server must return in Sec-WebSocket-Accept for <paramref name="key"/>.</summary>
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 §4.2.2 prescribes for Sec-WebSocket-Accept; it protects nothing.
    public static string ExpectedAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350

    public static byte[] BuildRequest(Uri uri, string key)
    {
        var host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        var path = string.IsNullOrEmpty(uri.PathAndQuery) ? "/" : uri.PathAndQuery;
        var text =
            $"GET {path} HTTP/1.1\r\n" +
            $"Host: {host}\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\n" +
            "Sec-WebSocket-Version: 13\r\n\r\n";
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>Index just past the blank line that ends the response head, or -1 when it has not arrived yet.</summary>
    public static int FindEndOfHead(ReadOnlySpan<byte> buffer)
    {
        var i = buffer.IndexOf("\r\n\r\n"u8);
        return i < 0 ? -1 : i + 4;
    }

    /// <summary>Checks the response head (status line and headers, without the blank line) for a valid upgrade.</summary>
    public static HandshakeStatus Validate(ReadOnlySpan<byte> head, string key)
    {
        var text = Encoding.ASCII.GetString(head);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return HandshakeStatus.NotUpgraded;
        }

        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.1", StringComparison.Ordinal) || status[1] != "101")
        {
            return HandshakeStatus.NotUpgraded;
        }

        bool upgrade = false, connection = false;
        string? accept = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = lines[i].AsSpan(0, colon).Trim();
            var value = lines[i].AsSpan(colon + 1).Trim();
            if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase))
            {
                upgrade = value.Equals("websocket", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                connection = value.ToString().Split(',').Any(t => t.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase));
            }
            else if (name.Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))
            {
                accept = value.ToString();
            }
        }

        if (!upgrade || !connection)
        {
            return HandshakeStatus.NotUpgraded;
        }

        return accept == ExpectedAccept(key) ? HandshakeStatus.Ok : HandshakeStatus.BadAccept;
    }
}
