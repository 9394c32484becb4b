using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Gateway.Upstream.WebSockets;

namespace Gateway.Benchmarks.Upstream;

/// <summary>
/// Building and sending one 3200-byte (100 ms) audio frame. "Loopback": a real TCP socket to a draining peer,
/// ClientWebSocket against our client. "Framing": the same on a discarding stream, which isolates the cost of the
/// WebSocket layer from the kernel (ManagedWebSocket is what ClientWebSocket runs on).
/// </summary>
[MemoryDiagnoser]
public class FrameSendBenchmarks
{
    private readonly byte[] _audio = new byte[3200];
    private DrainServer _server = null!;
    private ClientWebSocket _clientWebSocket = null!;
    private WebSocketClientConnection _ours = null!;
    private WebSocket _managedOnStream = null!;
    private WebSocketClientConnection _oursOnStream = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(3).NextBytes(_audio);
        _server = new DrainServer();
        _clientWebSocket = new ClientWebSocket();
        _clientWebSocket.ConnectAsync(_server.Url, CancellationToken.None).GetAwaiter().GetResult();
        _ours = WebSocketClientConnection.ConnectAsync(_server.Url, new WebSocketClientOptions(), CancellationToken.None).GetAwaiter().GetResult();
        _managedOnStream = WebSocket.CreateFromStream(new DiscardStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        _oursOnStream = WebSocketClientConnection.FromStream(new DiscardStream(), new WebSocketClientOptions());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clientWebSocket.Abort();
        _clientWebSocket.Dispose();
        _ours.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _managedOnStream.Abort();
        _oursOnStream.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Loopback")]
    public ValueTask Loopback_ClientWebSocket_SendAsync() =>
        _clientWebSocket.SendAsync(_audio.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Loopback")]
    public ValueTask Loopback_Ours_SendAsync() =>
        _ours.SendAsync(WebSocketOpcode.Binary, _audio, flush: true, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Framing")]
    public ValueTask Framing_ManagedWebSocket_SendAsync() =>
        _managedOnStream.SendAsync(_audio.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Framing")]
    public ValueTask Framing_Ours_SendAsync() =>
        _oursOnStream.SendAsync(WebSocketOpcode.Binary, _audio, flush: true, CancellationToken.None);
}
