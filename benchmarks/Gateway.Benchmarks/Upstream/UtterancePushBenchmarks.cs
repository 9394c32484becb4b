using BenchmarkDotNet.Attributes;
using Gateway.Upstream;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.Pooling;
using Gateway.Upstream.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Benchmarks.Upstream;

/// <summary>
/// The per-frame call the dispatcher makes, <see cref="UpstreamUtterance.PushAudioAsync"/>, end to end except the
/// kernel (a discarding stream): metrics, framing, masking. Proves 0 B per audio frame on the public API.
/// </summary>
[MemoryDiagnoser]
public class UtterancePushBenchmarks
{
    private readonly byte[] _audio = new byte[3200];
    private UpstreamUtterance _utterance = null!;
    private UpstreamMetrics _metrics = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new UpstreamOptions();
        var endpoint = new UpstreamEndpointOptions { Url = "ws://127.0.0.1:9/" };
        options.Endpoints.Add(endpoint);
        _metrics = new UpstreamMetrics(TimeProvider.System, null);
        var pool = new EndpointPool(endpoint, options, _metrics, TimeProvider.System, NullLogger.Instance);
        var connection = new PooledConnection(WebSocketClientConnection.FromStream(new DiscardStream(), new WebSocketClientOptions()), default, 0);
        _utterance = new UpstreamUtterance(pool, connection, pool.ConfigFor(default), "gw-bench-1", _metrics, options, TimeProvider.System, 0, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => _metrics.Dispose();

    [Benchmark]
    public ValueTask<UpstreamError> PushAudioAsync_3200Bytes() => _utterance.PushAudioAsync(_audio);
}
