namespace Gateway.Upstream.WebSockets;

/// <summary>Outcome of parsing a server frame header.</summary>
internal enum FrameHeaderStatus
{
    Ok,
    NeedMore,
    ReservedBitsSet,
    MaskedByServer,
    BadLength,
    BadControlFrame,
    UnknownOpcode,
}
