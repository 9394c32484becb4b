namespace Gateway.Upstream.WebSockets;

/// <summary>The peer broke RFC 6455 (or the handshake); the connection is unusable.</summary>
internal sealed class WebSocketProtocolException : Exception
{
    public WebSocketProtocolException(string message) : base(message)
    {
    }

    public WebSocketProtocolException()
    {
    }

    public WebSocketProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
