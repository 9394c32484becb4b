using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Gateway.Upstream.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Gateway.Upstream.Tests.WebSockets;

/// <summary>Our client against ASP.NET Core's server-side WebSocket on a real Kestrel host.</summary>
public class KestrelInteropTests
{
    private static readonly WebSocketClientOptions Options = new() { SendBufferSize = 8 * 1024, ReceiveBufferSize = 4 * 1024, MaxMessageBytes = 4 * 1024 * 1024 };

    [Theory(Timeout = 15000)]
    [InlineData(true, 0)]
    [InlineData(true, 17)]
    [InlineData(false, 3200)]
    [InlineData(false, 300_000)]
    public async Task SendAndReceive_EchoServer_RoundTripsEveryByte(bool text, int length)
    {
        var opcode = text ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
        await using var host = await KestrelWebSocketHost.StartAsync(EchoAsync);
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        if (opcode == WebSocketOpcode.Text)
        {
            payload = Encoding.UTF8.GetBytes(new string('x', length));
        }

        await ws.SendAsync(opcode, payload, flush: true, CancellationToken.None);
        var echo = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal(opcode == WebSocketOpcode.Text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary, echo.Kind);
        Assert.Equal(payload, echo.Payload.ToArray());
    }

    [Fact(Timeout = 15000)]
    public async Task SendAsync_CoalescedFrames_ServerSeesEachMessage()
    {
        var received = new List<string>();
        await using var host = await KestrelWebSocketHost.StartAsync(async socket =>
        {
            var buffer = new byte[1024];
            for (var i = 0; i < 3; i++)
            {
                var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
                received.Add($"{r.MessageType}:{r.Count}");
            }

            await socket.SendAsync("done"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        });
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);

        await ws.SendAsync(WebSocketOpcode.Text, "{\"is_speaking\":true}"u8.ToArray(), flush: false, CancellationToken.None);
        await ws.SendAsync(WebSocketOpcode.Binary, new byte[640], flush: false, CancellationToken.None);
        await ws.SendAsync(WebSocketOpcode.Text, "{\"is_speaking\":false}"u8.ToArray(), flush: true, CancellationToken.None);
        var done = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal("done", Encoding.UTF8.GetString(done.Payload.Span));
        Assert.Equal(["Text:20", "Binary:640", "Text:21"], received);
    }

    [Fact(Timeout = 15000)]
    public async Task ReceiveAsync_ServerSendsFragments_JoinsMessage()
    {
        await using var host = await KestrelWebSocketHost.StartAsync(async socket =>
        {
            await socket.SendAsync("{\"text\":"u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None);
            await socket.SendAsync("\"今天\""u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None);
            await socket.SendAsync("}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.ReceiveAsync(new byte[16], CancellationToken.None);
        });
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);

        var message = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal("{\"text\":\"今天\"}", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact(Timeout = 15000)]
    public async Task SendPingAsync_Kestrel_ReturnsPongWithSamePayload()
    {
        await using var host = await KestrelWebSocketHost.StartAsync(async socket => await socket.ReceiveAsync(new byte[16], CancellationToken.None));
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);

        await ws.SendPingAsync("probe-1"u8.ToArray(), CancellationToken.None);
        var pong = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal(WebSocketMessageKind.Pong, pong.Kind);
        Assert.Equal("probe-1", Encoding.UTF8.GetString(pong.Payload.Span));
    }

    [Fact(Timeout = 25_000)]
    public async Task ReceiveAsync_ServerKeepAlivePings_AreAnsweredSoServerStaysUp()
    {
        // Kestrel pings every 100 ms and aborts the connection when a ping's pong is 3 s late (room for a loaded
        // machine's scheduling: 1.5 s could pass with our reader not yet run). The server waits over two timeouts
        // before it answers; without our pongs it would have aborted by then and the text never comes.
        var accept = new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromMilliseconds(100), KeepAliveTimeout = TimeSpan.FromSeconds(3) };
        await using var host = await KestrelWebSocketHost.StartAsync(
            async socket =>
            {
                var buffer = new byte[64];
                var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
                var receiving = socket.ReceiveAsync(buffer.AsMemory(r.Count), CancellationToken.None).AsTask();
                await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromMilliseconds(7000)));
                await socket.SendAsync(buffer.AsMemory(0, r.Count), WebSocketMessageType.Text, true, CancellationToken.None);
                await receiving;
            },
            accept: accept);
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);
        var reader = ws.ReceiveAsync(CancellationToken.None).AsTask();

        await ws.SendAsync(WebSocketOpcode.Text, "alive?"u8.ToArray(), flush: true, CancellationToken.None);
        var message = await reader;

        Assert.Equal((WebSocketMessageKind.Text, "alive?"), (message.Kind, Encoding.UTF8.GetString(message.Payload.Span)));
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_ClientInitiates_ServerCompletesHandshake()
    {
        var serverSaw = new TaskCompletionSource<WebSocketCloseStatus?>();
        await using var host = await KestrelWebSocketHost.StartAsync(async socket =>
        {
            var r = await socket.ReceiveAsync(new byte[16], CancellationToken.None);
            serverSaw.SetResult(r.CloseStatus);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        });
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);

        var status = await ws.CloseAsync(1000, CancellationToken.None);

        Assert.Equal(1000, status);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await serverSaw.Task);
        Assert.True(ws.IsClosed);
    }

    [Fact(Timeout = 15000)]
    public async Task ReceiveAsync_ServerInitiatesClose_ClientEchoesAndServerCloses()
    {
        var serverState = new TaskCompletionSource<WebSocketState>();
        await using var host = await KestrelWebSocketHost.StartAsync(async socket =>
        {
            await socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going away", CancellationToken.None);
            serverState.SetResult(socket.State);
        });
        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, Options, CancellationToken.None);

        var message = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal((WebSocketMessageKind.Close, 1001), (message.Kind, message.CloseStatus));
        Assert.Equal(WebSocketState.Closed, await serverState.Task);
    }

    [Theory(Timeout = 15000)]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "NotUpgraded")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\n\r\n", "BadAccept")]
    public async Task ConnectAsync_BadUpgradeResponse_ThrowsHandshakeError(string response, string status)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096]);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        });

        var ex = await Assert.ThrowsAsync<WebSocketProtocolException>(() => WebSocketClientConnection.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), Options, CancellationToken.None));
        await server;

        Assert.Contains(status, ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 15000)]
    public async Task ConnectAsync_TlsPinnedThumbprint_Connects()
    {
        using var certificate = KestrelWebSocketHost.CreateSelfSignedCertificate();
        await using var host = await KestrelWebSocketHost.StartAsync(EchoAsync, certificate);
        var pin = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        var options = new WebSocketClientOptions { Tls = new TlsTrust(pin, acceptAnyCertificate: false) };

        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, options, CancellationToken.None);
        await ws.SendAsync(WebSocketOpcode.Text, "tls"u8.ToArray(), flush: true, CancellationToken.None);
        var echo = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal("tls", Encoding.UTF8.GetString(echo.Payload.Span));
    }

    [Theory(Timeout = 15000)]
    [InlineData("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF", false)]
    [InlineData(null, false)]
    public async Task ConnectAsync_TlsUntrustedCertificate_ThrowsAuthentication(string? pin, bool acceptAny)
    {
        using var certificate = KestrelWebSocketHost.CreateSelfSignedCertificate();
        await using var host = await KestrelWebSocketHost.StartAsync(EchoAsync, certificate);
        var options = new WebSocketClientOptions { Tls = new TlsTrust(pin, acceptAny) };

        await Assert.ThrowsAsync<AuthenticationException>(() => WebSocketClientConnection.ConnectAsync(host.Url, options, CancellationToken.None));
    }

    [Fact(Timeout = 15000)]
    public async Task ConnectAsync_TlsAcceptAny_Connects()
    {
        using var certificate = KestrelWebSocketHost.CreateSelfSignedCertificate();
        await using var host = await KestrelWebSocketHost.StartAsync(EchoAsync, certificate);
        var options = new WebSocketClientOptions { Tls = new TlsTrust(null, acceptAnyCertificate: true) };

        await using var ws = await WebSocketClientConnection.ConnectAsync(host.Url, options, CancellationToken.None);

        Assert.False(ws.IsClosed);
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[1024 * 1024];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                count += r.Count;
            }
            while (!r.EndOfMessage);

            if (r.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, count), r.MessageType, true, CancellationToken.None);
        }
    }
}
