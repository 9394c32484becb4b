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
        while (UpstreamBytes < bytes || Volatile.Read(ref _acksSinceReset) == 0)
        {
            await Task.Delay(2, cancellationToken);
        }

        ResetAll();
    }

    /// <summary>The same URI, through the proxy.</summary>
    public Uri Through(Uri uri) => new UriBuilder(uri) { Port = Port }.Uri;

    /// <summary>Resets every connection open now, both sides.</summary>
    public int ResetAll()
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

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                if (upstream)
                {
                    Interlocked.Add(ref _upstreamBytes, n);
                }
                else if (buffer.AsSpan(0, n).IndexOf("\"type\":\"ack\""u8) >= 0)
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

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        ResetAll();
        await _accepting;
        _stop.Dispose();
    }
}
