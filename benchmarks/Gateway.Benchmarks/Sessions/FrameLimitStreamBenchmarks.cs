using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Sessions;

namespace Gateway.Benchmarks.Sessions;

/// <summary>
/// The per-frame cost of <see cref="FrameLimitStream"/> (the guard under every accepted WebSocket) next to the
/// unwrapped stream: a raw read of one client frame, and one message received by the framework's server WebSocket
/// (which is what the gateway pays per audio frame), each with and without the guard.
/// </summary>
[MemoryDiagnoser]
public class FrameLimitStreamBenchmarks
{
    private const long Limit = 1 << 20;
    private Stream _plain = null!;
    private Stream _guarded = null!;
    private WebSocket _plainSocket = null!;
    private WebSocket _guardedSocket = null!;
    private byte[] _buffer = [];

    /// <summary>Payload of one frame: 20 ms of 16 kHz PCM16, and a 4 KiB chunk.</summary>
    [Params(640, 4096)]
    public int Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plain = new CyclicFrameStream(Payload);
        _guarded = new FrameLimitStream(new CyclicFrameStream(Payload), Limit, TimeProvider.System);
        _plainSocket = WebSocket.CreateFromStream(new CyclicFrameStream(Payload), new WebSocketCreationOptions { IsServer = true });
        _guardedSocket = WebSocket.CreateFromStream(
            new FrameLimitStream(new CyclicFrameStream(Payload), Limit, TimeProvider.System), new WebSocketCreationOptions { IsServer = true });
        _buffer = new byte[Payload + 16];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plainSocket.Dispose();
        _guardedSocket.Dispose();
        _plain.Dispose();
        _guarded.Dispose();
    }

    [Benchmark(Baseline = true, Description = "stream read of one frame, unwrapped")]
    public async Task<int> StreamPlain() => await ReadFrameAsync(_plain);

    [Benchmark(Description = "stream read of one frame, through FrameLimitStream")]
    public async Task<int> StreamGuarded() => await ReadFrameAsync(_guarded);

    [Benchmark(Description = "WebSocket receive of one message, unwrapped")]
    public async Task<int> WebSocketPlain() => (await _plainSocket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None)).Count;

    [Benchmark(Description = "WebSocket receive of one message, through FrameLimitStream")]
    public async Task<int> WebSocketGuarded() => (await _guardedSocket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None)).Count;

    private async ValueTask<int> ReadFrameAsync(Stream stream)
    {
        var total = 0;
        var frame = Payload + 8;
        while (total < frame)
        {
            total += await stream.ReadAsync(_buffer.AsMemory(0, frame - total));
        }

        return total;
    }
}
