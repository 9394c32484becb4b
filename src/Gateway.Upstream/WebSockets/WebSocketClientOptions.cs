namespace Gateway.Upstream.WebSockets;

/// <summary>Per-connection buffer sizes and limits of <see cref="WebSocketClientConnection"/>.</summary>
internal sealed class WebSocketClientOptions
{
    /// <summary>Send buffer; frames are coalesced into it until a flush. Default 64 KiB.</summary>
    public int SendBufferSize { get; init; } = 64 * 1024;

    /// <summary>Receive buffer; a whole frame that fits is returned in place. Default 16 KiB.</summary>
    public int ReceiveBufferSize { get; init; } = 16 * 1024;

    /// <summary>Largest message accepted (FunASR's Python server uses 1 MiB). Default 1 MiB.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>Certificate trust for wss://; null means the platform's default validation.</summary>
    public TlsTrust? Tls { get; init; }
}
