namespace Gateway.Upstream.WebSockets;

/// <summary>Outcome of checking the upgrade response.</summary>
internal enum HandshakeStatus
{
    Ok,
    NotUpgraded,
    BadAccept,
}
