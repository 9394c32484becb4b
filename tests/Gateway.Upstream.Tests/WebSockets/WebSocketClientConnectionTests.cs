using System.Text;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream.Tests.WebSockets;

public class WebSocketClientConnectionTests
{
    private static readonly WebSocketClientOptions SmallBuffers = new() { SendBufferSize = 1024, ReceiveBufferSize = 256 };

    [Fact(Timeout = 5000)]
    public async Task ReceiveAsync_PingBeforeText_AnswersPongAndReturnsText()
    {
        var stream = new ScriptedStream([.. ScriptedStream.ServerFrame(0x9, true, "p1"u8), .. ScriptedStream.ServerFrame(0x1, true, "{\"a\":1}"u8)], chunk: 3);
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        var message = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal(WebSocketMessageKind.Text, message.Kind);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(message.Payload.Span));
        var pong = Assert.Single(stream.ClientFrames());
        Assert.Equal((0xA, true), (pong.Opcode, pong.Fin));
        Assert.Equal("p1"u8.ToArray(), pong.Payload);
    }

    [Fact(Timeout = 5000)]
    public async Task ReceiveAsync_FragmentsWithInterleavedPing_JoinsMessage()
    {
        var stream = new ScriptedStream(
        [
            .. ScriptedStream.ServerFrame(0x1, false, "hel"u8),
            .. ScriptedStream.ServerFrame(0x9, true, ""u8),
            .. ScriptedStream.ServerFrame(0x0, false, "lo "u8),
            .. ScriptedStream.ServerFrame(0x0, true, "world"u8),
        ]);
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        var message = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal(WebSocketMessageKind.Text, message.Kind);
        Assert.Equal("hello world", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Theory(Timeout = 5000)]
    [InlineData(200)]
    [InlineData(70_000)]
    public async Task ReceiveAsync_FrameLargerThanReceiveBuffer_ReturnsWholePayload(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var stream = new ScriptedStream([.. ScriptedStream.ServerFrame(0x2, true, payload), .. ScriptedStream.ServerFrame(0x1, true, "next"u8)], chunk: 1000);
        await using var ws = WebSocketClientConnection.FromStream(stream, new WebSocketClientOptions { ReceiveBufferSize = 128 });

        var first = await ws.ReceiveAsync(CancellationToken.None);
        Assert.Equal(WebSocketMessageKind.Binary, first.Kind);
        Assert.Equal(payload, first.Payload.ToArray());
        var second = await ws.ReceiveAsync(CancellationToken.None);
        Assert.Equal("next", Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Fact(Timeout = 5000)]
    public async Task HasUnreadData_TwoFramesInOneRead_TrueUntilBothReturned()
    {
        var stream = new ScriptedStream([.. ScriptedStream.ServerFrame(0x1, true, "{}"u8), .. ScriptedStream.ServerFrame(0x1, true, "{}"u8)]);
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        await ws.ReceiveAsync(CancellationToken.None);
        var afterFirst = ws.HasUnreadData;
        await ws.ReceiveAsync(CancellationToken.None);

        Assert.True(afterFirst);
        Assert.False(ws.HasUnreadData);
    }

    [Fact(Timeout = 5000)]
    public async Task ReceiveAsync_MaskedServerFrame_ThrowsProtocolError()
    {
        var stream = new ScriptedStream(ScriptedStream.ServerFrame(0x1, true, "x"u8, masked: true));
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        await Assert.ThrowsAsync<WebSocketProtocolException>(async () => await ws.ReceiveAsync(CancellationToken.None));
        Assert.True(ws.IsClosed);
    }

    [Fact(Timeout = 5000)]
    public async Task ReceiveAsync_ContinuationWithoutStart_ThrowsProtocolError()
    {
        var stream = new ScriptedStream(ScriptedStream.ServerFrame(0x0, true, "x"u8));
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        await Assert.ThrowsAsync<WebSocketProtocolException>(async () => await ws.ReceiveAsync(CancellationToken.None));
    }

    [Fact(Timeout = 5000)]
    public async Task ReceiveAsync_EndOfStream_ReturnsAbnormalClose()
    {
        var stream = new ScriptedStream([0x81]);
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        var message = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal((WebSocketMessageKind.Close, 1006), (message.Kind, message.CloseStatus));
        Assert.True(ws.IsClosed);
    }

    [Fact(Timeout = 5000)]
    public async Task ReceiveAsync_ServerClose_EchoesStatus()
    {
        var stream = new ScriptedStream(ScriptedStream.ServerFrame(0x8, true, [0x03, 0xE9]));
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        var message = await ws.ReceiveAsync(CancellationToken.None);

        Assert.Equal((WebSocketMessageKind.Close, 1001), (message.Kind, message.CloseStatus));
        var echo = Assert.Single(stream.ClientFrames());
        Assert.Equal(0x8, echo.Opcode);
        Assert.Equal(new byte[] { 0x03, 0xE9 }, echo.Payload);
    }

    [Fact(Timeout = 5000)]
    public async Task SendAsync_UnflushedFramesThenFlush_CoalescesIntoOneWrite()
    {
        var stream = new CountingStream();
        await using var ws = WebSocketClientConnection.FromStream(stream, new WebSocketClientOptions());

        await ws.SendAsync(WebSocketOpcode.Text, "{\"mode\":\"2pass\"}"u8.ToArray(), flush: false, CancellationToken.None);
        await ws.SendAsync(WebSocketOpcode.Binary, new byte[3200], flush: true, CancellationToken.None);

        Assert.Equal(1, stream.Writes);
    }

    [Theory(Timeout = 5000)]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(100_001)]
    public async Task SendAsync_AnyLength_ServerSeesUnmaskedPayload(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var stream = new ScriptedStream([]);
        await using var ws = WebSocketClientConnection.FromStream(stream, SmallBuffers);

        await ws.SendAsync(WebSocketOpcode.Binary, payload, flush: true, CancellationToken.None);

        var frame = Assert.Single(stream.ClientFrames());
        Assert.Equal((2, true), (frame.Opcode, frame.Fin));
        Assert.Equal(payload, frame.Payload);
    }

    private sealed class CountingStream : Stream
    {
        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set { } }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => 0;

        public override void SetLength(long value)
        {
        }

        public override void Write(byte[] buffer, int offset, int count) => Writes++;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return ValueTask.CompletedTask;
        }
    }
}
