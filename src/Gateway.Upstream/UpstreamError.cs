namespace Gateway.Upstream;

/// <summary>
/// Why an utterance did not complete. Everything except <see cref="Cancelled"/> and <see cref="Disposed"/> is
/// retryable: the utterance must be replayed from its first audio byte on a new lease.
/// </summary>
public enum UpstreamError
{
    None = 0,

    /// <summary>The connection dropped (TCP reset, EOF, close frame) mid-utterance. The connection was replaced.</summary>
    ConnectionLost,

    /// <summary>No terminal message within FinalTimeout after the end of input (or MaxUtteranceDuration). The connection was discarded.</summary>
    ResultTimeout,

    /// <summary>The server sent something FunASR never sends (bad JSON, a foreign wav_name, binary data). The connection was discarded.</summary>
    ProtocolViolation,

    /// <summary>TCP connect refused or failed.</summary>
    ConnectFailed,

    /// <summary>Connect + TLS + handshake exceeded ConnectTimeout.</summary>
    ConnectTimedOut,

    /// <summary>The server certificate was not trusted.</summary>
    TlsRejected,

    /// <summary>The HTTP upgrade failed (not 101, or a wrong Sec-WebSocket-Accept).</summary>
    HandshakeFailed,

    /// <summary>Every connection stayed busy for AcquireTimeout.</summary>
    QueueTimeout,

    /// <summary>The wait queue was full (QueueLimit).</summary>
    QueueFull,

    /// <summary>Every endpoint's circuit is open.</summary>
    CircuitOpen,

    /// <summary>The caller cancelled. Not the upstream's fault; not retryable as such.</summary>
    Cancelled,

    /// <summary>The client was disposed.</summary>
    Disposed,
}
