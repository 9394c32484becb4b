using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Core.Auth;

/// <summary>
/// Where each client family puts its credential: <c>Authorization: Token KEY</c> (Deepgram) or <c>Bearer</c> (REST,
/// grants), the <c>token</c> WebSocket subprotocol followed by the key (Deepgram's browser SDK), and
/// <c>?token=</c> (WhisperLive and FunASR clients, browsers).
/// </summary>
public static class Credentials
{
    public const string TokenSubprotocol = "token";

    public static string? Find(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        foreach (var scheme in new[] { "Token ", "Bearer " })
        {
            if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return authorization[scheme.Length..].Trim();
            }
        }

        var protocols = request.Headers.SecWebSocketProtocol;
        if (!StringValues.IsNullOrEmpty(protocols))
        {
            var offered = protocols.SelectMany(p => (p ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
            var at = offered.IndexOf(TokenSubprotocol);
            if (at >= 0 && at + 1 < offered.Count)
            {
                return offered[at + 1];
            }
        }

        return request.Query.TryGetValue("token", out var token) && token.ToString().Length > 0 ? token.ToString() : null;
    }
}
