using System.Net;
using System.Net.Sockets;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a gateway that can cut every connection through it with a reset (linger 0, then
/// close), as a network drop looks to both ends: no close handshake, no FIN.
/// </summary>
public sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _target;
    private long _upstreamBytes;
    private long _holdAt = long.MaxValue;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acksSinceReset;
    private volatile bool _refusing;
    private readonly Lock _gate = new();
    private readonly List<(Socket Client, Socket Server)> _pairs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DroppingProxy(Uri target)
    {
        _target = target.Port;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Bytes clients sent through the proxy so far (all connections): a test cuts when a client is this far along.</summary>
    public long UpstreamBytes => Interlocked.Read(ref _upstreamBytes);

    /// <summary>While set, a new connection is reset as soon as it is accepted (the network is still down).</summary>
    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    /// <summary>New connections go to this gateway instead (one that never issued the client's token).</summary>
    public void Retarget(Uri target) => Volatile.Write(ref _target, target.Port);

    /// <summary>
    /// Waits until clients have sent <paramref name="bytes"/> through the proxy and the server has sent an <c>ack</c>
    /// since the last reset (so the connection was resumable: its <c>ready</c> arrived), then resets every connection.
    /// </summary>
    public async Task ResetWhenUpstreamReachesAsync(long bytes, CancellationToken cancellationToken)
    {
        await HoldWhenUpstreamReachesAsync(bytes, cancellationToken);
        ResetAll();
    }

    /// <summary>
    /// Forwards client bytes up to <paramref name="bytes"/> and holds the rest (the client's sends pile up in the
    /// sockets, as on a stalled network) until the server has sent an <c>ack</c> since the last reset; the hold ends
    /// with the next <see cref="ResetAll"/>. The server so sees exactly that much of the stream when the cut comes,
    /// however far a client's paced source ran ahead of a slow server (on a busy machine it could otherwise have sent
    /// everything and its <c>close</c> before the first ack, and a drop in the drain is not resumable).
    /// </summary>
    public async Task HoldWhenUpstreamReachesAsync(long bytes, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _holdAt, bytes);
        while (UpstreamBytes < bytes || Volatile.Read(ref _acksSinceReset) == 0)
        {
            await Task.Delay(2, cancellationToken);
        }
    }

    /// <summary>The same URI, through the proxy.</summary>
    public Uri Through(Uri uri) => new UriBuilder(uri) { Port = Port }.Uri;

    /// <summary>Resets every connection open now, both sides; then client bytes flow again up to <paramref name="holdNextAt"/>.</summary>
    public int ResetAll(long holdNextAt = long.MaxValue)
    {
        List<(Socket, Socket)> pairs;
        lock (_gate)
        {
            pairs = [.. _pairs];
            _pairs.Clear();
            _acksSinceReset = 0;
        }

        foreach (var (client, server) in pairs)
        {
            Reset(client);
            Reset(server);
        }

        // Only now: a held pump must not forward what it holds to a connection that is still open.
        Volatile.Write(ref _holdAt, holdNextAt);
        Interlocked.Exchange(ref _released, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return pairs.Count;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                if (_refusing)
                {
                    Reset(client);
                    continue;
                }

                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await server.ConnectAsync(IPAddress.Loopback, Volatile.Read(ref _target), _stop.Token);
                client.NoDelay = true;
                lock (_gate)
                {
                    if (_refusing)
                    {
                        // The network went down while this one was connecting (ResetAll ran before it was listed).
                        Reset(client);
                        Reset(server);
                        continue;
                    }

                    _pairs.Add((client, server));
                }

                _ = PumpAsync(client, server, upstream: true);
                _ = PumpAsync(server, client, upstream: false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool upstream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (upstream)
                {
                    await ForwardUpstreamAsync(to, buffer.AsMemory(0, n));
                }
                else
                {
                    await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }

                if (!upstream && buffer.AsSpan(0, n).IndexOf("\"type\":\"ack\""u8) >= 0)
                {
                    Interlocked.Increment(ref _acksSinceReset); // server frames are unmasked: the JSON is readable on the wire
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Reset(from);
            Reset(to);
        }
    }

    /// <summary>Client bytes to the server, up to the hold (<see cref="HoldWhenUpstreamReachesAsync"/>).</summary>
    private async Task ForwardUpstreamAsync(Socket to, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var released = Volatile.Read(ref _released).Task;
            var room = Volatile.Read(ref _holdAt) - UpstreamBytes;
            if (room <= 0)
            {
                await released; // the reset closed this connection's sockets: the send below fails and ends the pump
                continue;
            }

            var chunk = data[..(int)Math.Min(room, data.Length)];
            await to.SendAsync(chunk, SocketFlags.None);
            Interlocked.Add(ref _upstreamBytes, chunk.Length);
            data = data[chunk.Length..];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        ResetAll();
        await _accepting;
        _stop.Dispose();
    }
}
