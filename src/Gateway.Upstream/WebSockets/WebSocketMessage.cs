namespace Gateway.Upstream.WebSockets;

/// <summary>One received message. <see cref="Payload"/> points into the connection's buffers and is valid until the next receive.</summary>
internal readonly record struct WebSocketMessage(WebSocketMessageKind Kind, ReadOnlyMemory<byte> Payload, int CloseStatus = 0)
{
    /// <summary>The connection ended without a close frame (RFC 6455 status 1006).</summary>
    public static WebSocketMessage Abnormal => new(WebSocketMessageKind.Close, ReadOnlyMemory<byte>.Empty, 1006);
}
