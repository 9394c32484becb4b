using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Sessions;

namespace Gateway.Core.Auth;

/// <summary>
/// The credential of a native client that cannot set headers or its URL, in its <c>start</c> message
/// (<c>{"type":"start","token":"KEY-or-grant",...}</c>): the same checks as the middleware's (key or grant, scope,
/// room, quotas), done after the upgrade on the first message, before any session exists. A refusal is an
/// <c>error</c> message and close 4401 (no or bad credential), 4403 (scope) or 4429 (quota).
/// </summary>
public sealed class StartMessageAuth
{
    private readonly Authenticator _auth;

    public StartMessageAuth(Authenticator auth) => _auth = auth;

    /// <summary>The counted session of the start message's caller, or the error to refuse the connection with.</summary>
    public async ValueTask<(OpenSession? Session, ClientError? Error)> CheckAsync(FirstMessageResult first, string scope)
    {
        var token = first.Status == FirstMessageStatus.Received && first.Type == WebSocketMessageType.Text ? Token(first.Message.Span) : null;
        var caller = _auth.Authenticate(token, out var refusal);
        refusal ??= _auth.CheckScope(caller!, scope);
        if (refusal is null)
        {
            (var session, refusal) = await _auth.TryOpenSessionAsync(caller!);
            if (session is not null)
            {
                return (session, null);
            }
        }

        var code = refusal!.Status switch
        {
            401 => ErrorCodes.Unauthorized,
            403 => ErrorCodes.Forbidden,
            _ => ErrorCodes.QuotaExceeded,
        };
        return (null, new ClientError(code, refusal.Message, refusal.CloseCode));
    }

    /// <summary>The <c>token</c> string of a start message, or null (not JSON, not a start, no token).</summary>
    internal static string? Token(ReadOnlySpan<byte> message)
    {
        try
        {
            var reader = new Utf8JsonReader(message);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "start"
                && root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
