namespace Gateway.Native.Errors;

/// <summary>
/// The codes <c>funasr_last_error()</c> returns; the values are ABI (funasr.h <c>FUNASR_ERR_*</c>) and never change.
/// </summary>
internal enum FunAsrStatus : uint
{
    /// <summary>The last call succeeded.</summary>
    Ok = 0,

    /// <summary>A required pointer was NULL.</summary>
    NullArgument = 1,

    /// <summary><c>ws_url</c> is not an absolute ws:// or wss:// URL with a host.</summary>
    BadUrl = 2,

    /// <summary>No audio: <c>pcm_len</c> is 0, or the file holds no samples.</summary>
    EmptyAudio = 3,

    /// <summary>Not 16 kHz mono PCM16: an odd byte count, or a .wav file of another format.</summary>
    BadAudio = 4,

    /// <summary>The file could not be opened or read.</summary>
    FileError = 5,

    /// <summary>TCP connect refused or failed.</summary>
    ConnectFailed = 6,

    /// <summary>TCP + TLS + WebSocket handshake exceeded the connect timeout.</summary>
    ConnectTimeout = 7,

    /// <summary>The server certificate was not trusted (see the tls.* options).</summary>
    TlsRejected = 8,

    /// <summary>The HTTP upgrade was refused (not 101) or malformed.</summary>
    HandshakeFailed = 9,

    /// <summary>The connection dropped mid-utterance.</summary>
    ConnectionLost = 10,

    /// <summary>No final result within the final timeout after the end of the audio.</summary>
    ResultTimeout = 11,

    /// <summary>The server sent something FunASR never sends.</summary>
    ProtocolViolation = 12,

    /// <summary>Every pooled connection stayed busy for the acquire timeout, or the wait queue was full.</summary>
    Busy = 13,

    /// <summary>The server failed repeatedly and its circuit is open for a while.</summary>
    Unavailable = 14,

    /// <summary>The library was cleaned up while the call ran.</summary>
    ShutDown = 15,

    /// <summary><c>funasr_set_option</c>: unknown key or invalid value.</summary>
    BadOption = 16,

    /// <summary>An unexpected failure inside the library (a bug; please report it).</summary>
    Internal = 17,
}
