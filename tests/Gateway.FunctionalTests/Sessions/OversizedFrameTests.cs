using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Diagnostics;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Sessions;

/// <summary>
/// A raw client that sends only a frame header declaring a payload over <c>Sessions:MaxMessageBytes</c> gets close
/// 1009 at once, on every endpoint that takes audio, without sending a byte of the payload (a framework WebSocket
/// alone would wait for the whole declared payload, and the session would never learn of it).
/// </summary>
public sealed class OversizedFrameTests : IAsyncLifetime
{
    private const int Limit = 65_536;
    private readonly LogCapture _log = new();
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Sessions:MaxMessageBytes"] = Limit.ToString(),
            ["Serilog:MinimumLevel:Override:Gateway.Server.Endpoints.ClientFrameLimit"] = "Information",
        }, configure: _log.Configure);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory(Timeout = 60_000)]
    [InlineData("/v1/stream")]
    [InlineData("/v1/stream?sample_rate=16000&encoding=pcm_s16le")]
    [InlineData("/whisperlive")]
    [InlineData("/funasr")]
    [InlineData("/funasr/offline")]
    [InlineData("/v1/listen?encoding=linear16&sample_rate=16000")]
    [InlineData("/")]
    [InlineData("/v1/stream?room=r1&speaker=alice")]
    public async Task FrameHeader_DeclaresMoreThanTheLimit_Close1009BeforeThePayloadThenACleanClose(string path)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var other = await StreamClient.ConnectAsync(_gateway.Stream());
        await other.StartAsync();
        await other.SendAudioAsync(Audio.Pcm16(100));
        using var tcp = await RawUpgradeAsync(path, deadline.Token);
        var stream = tcp.GetStream();

        await stream.WriteAsync(BinaryFrameHeader(64L << 20), deadline.Token); // 64 MB announced, not one byte of it sent

        var (code, reason) = await ReadCloseAsync(stream, deadline.Token);
        Assert.Equal(1009, code);
        Assert.Equal($"message exceeds the limit of {Limit} bytes", reason);

        // The client answers the close as RFC 6455 asks; the server then ends TCP with a FIN (read returns 0), not a
        // reset (read throws ECONNRESET).
        await stream.WriteAsync(MaskedClose(1009), deadline.Token);
        Assert.Equal(0, await stream.ReadAsync(new byte[16], deadline.Token));

        // Another session on the gateway goes on as before and closes normally.
        await other.SendAudioAsync(Audio.Pcm16(100));
        await other.SendJsonAsync(new { type = "close" });
        await other.ReceiveUntilClosedAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, other.CloseStatus);

        // Counted and logged once, as a client error (no exception attached).
        var refusals = _log.WithEventId(EventIds.ClientFrameRefused);
        var line = Assert.Single(refusals);
        Assert.Null(line.Exception);
        Assert.Contains($"declared {64L << 20} bytes, over the {Limit}-byte message limit", line.RenderMessage());
        Assert.Contains("gateway_session_errors_total{code=\"message_too_big\"} 1", await _gateway.GetStringAsync("/metrics"));
    }

    [Fact(Timeout = 60_000)]
    public async Task FrameHeader_OverTheLimitAndTheClientSaysNothingMore_Close1009ThenACleanClose()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = await RawUpgradeAsync("/v1/stream?sample_rate=16000&encoding=pcm_s16le", deadline.Token);
        var stream = tcp.GetStream();

        // One byte over the limit (FrameHeader_AtTheLimit_IsNotRefused sends exactly the limit); the client then neither replies nor sends the payload.
        await stream.WriteAsync(BinaryFrameHeader(Limit + 1), deadline.Token);

        var (code, _) = await ReadCloseAsync(stream, deadline.Token);
        Assert.Equal(1009, code);
        Assert.Equal(0, await stream.ReadAsync(new byte[16], deadline.Token)); // after the quiet period: a FIN
    }

    [Fact(Timeout = 60_000)]
    public async Task FrameHeader_AtTheLimit_IsNotRefused()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = await RawUpgradeAsync("/v1/stream?sample_rate=16000&encoding=pcm_s16le", deadline.Token);
        var stream = tcp.GetStream();

        // A whole frame of exactly the limit, then a small text close request: the gateway answers the close (1000).
        var payload = new byte[Limit];
        await stream.WriteAsync(BinaryFrameHeader(Limit), deadline.Token);
        await stream.WriteAsync(payload, deadline.Token); // zero mask: the payload goes as is
        await stream.WriteAsync(MaskedClose(1000), deadline.Token);

        var (code, _) = await ReadCloseAsync(stream, deadline.Token);
        Assert.Equal(1000, code);
        Assert.Equal(0, await stream.ReadAsync(new byte[16], deadline.Token));
    }

    private async Task<TcpClient> RawUpgradeAsync(string path, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(_gateway.Http.Host, _gateway.Http.Port, cancellationToken);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {path} HTTP/1.1\r\nHost: {_gateway.Http.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        var head = new List<byte>();
        while (head.Count < 4 || !head[^4..].SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            var b = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(b, cancellationToken));
            head.Add(b[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString([.. head]));
        return tcp;
    }

    /// <summary>FIN + binary, masked (zero mask), with the 8-byte length form.</summary>
    private static byte[] BinaryFrameHeader(long length)
    {
        var header = new byte[14];
        header[0] = 0x82;
        header[1] = 0x80 | 127;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)length);
        return header; // bytes 10-13: the zero mask
    }

    private static byte[] MaskedClose(ushort code)
    {
        var frame = new byte[8];
        frame[0] = 0x88;
        frame[1] = 0x80 | 2;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), code); // zero mask
        return frame;
    }

    /// <summary>Reads server frames (skipping text events) until the close frame; its code and reason.</summary>
    private static async Task<(int Code, string Reason)> ReadCloseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var head = await ReadExactlyAsync(stream, 2, cancellationToken);
            long length = head[1] & 0x7F;
            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(stream, 2, cancellationToken));
            }
            else if (length == 127)
            {
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(stream, 8, cancellationToken));
            }

            var payload = await ReadExactlyAsync(stream, (int)length, cancellationToken);
            if ((head[0] & 0x0F) == 0x8)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload, 2, payload.Length - 2));
            }
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
