namespace Gateway.Upstream.WebSockets;

/// <summary>What <see cref="WebSocketClientConnection.ReceiveAsync"/> returned.</summary>
internal enum WebSocketMessageKind
{
    Text,
    Binary,
    Pong,
    Close,
}
