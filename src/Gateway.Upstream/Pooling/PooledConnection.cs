using System.Buffers.Binary;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream.Pooling;

/// <summary>A live upstream connection and its pool bookkeeping. Owned by exactly one lease at a time, or idle in its pool.</summary>
internal sealed class PooledConnection
{
    private byte[] _output = new byte[4096];
    private long _probeCounter;

    public PooledConnection(WebSocketClientConnection socket, ConnectionKey key, long createdTimestamp)
    {
        Socket = socket;
        Key = key;
        LastUsedTimestamp = createdTimestamp;
    }

    public WebSocketClientConnection Socket { get; }

    public ConnectionKey Key { get; }

    public long LastUsedTimestamp { get; set; }

    public int Uses { get; set; }

    /// <summary>When the current lease began (the lease-duration histogram measures from here to the release).</summary>
    public long LeasedTimestamp { get; set; }

    /// <summary>Scratch for the start config and for unescaped reply strings; grows to the largest reply seen.</summary>
    public byte[] Scratch(int atLeast)
    {
        if (_output.Length < atLeast)
        {
            _output = new byte[Math.Max(atLeast, _output.Length * 2)];
        }

        return _output;
    }

    /// <summary>
    /// Ping and wait for the matching pong. Anything else arriving first (a late result, a close) means the
    /// connection is not in the state we think, so the probe fails and the connection is discarded.
    /// </summary>
    public async ValueTask<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(payload, ++_probeCounter);
        try
        {
            await Socket.SendPingAsync(payload, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var message = await Socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (message.Kind != WebSocketMessageKind.Pong)
                {
                    return false;
                }

                if (message.Payload.Span.SequenceEqual(payload))
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or WebSocketProtocolException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }
}
