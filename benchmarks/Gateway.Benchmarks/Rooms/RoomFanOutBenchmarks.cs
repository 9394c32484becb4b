using System.Text.Json;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Gateway.Benchmarks.Rooms;

/// <summary>
/// One room final fanned out to V viewers' queues: the bus (render once, the same bytes in every bounded queue,
/// copy-on-write viewer array) against the straightforward way (serialise the message for each viewer).
/// </summary>
[MemoryDiagnoser]
public class RoomFanOutBenchmarks
{
    private static readonly RoomEventData Final = new(RoomEventKind.Final, "Alice", 12, 3, 61_250, 63_900, "the quick brown fox jumps over the lazy dog",
        [new("the quick brown fox jumps over the lazy dog", 0, 42_400)], 60_000);

    private LocalRoomBus _bus = null!;
    private Channel<RoomEvent>[] _queues = [];
    private Channel<byte[]>[] _naive = [];

    [Params(10, 100)]
    public int Viewers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bus = new LocalRoomBus(Options.Create(new RoomOptions { HistoryCapacity = 100 }));
        _queues = [.. Enumerable.Range(0, Viewers).Select(_ => Channel.CreateBounded<RoomEvent>(new BoundedChannelOptions(256) { SingleReader = true }))];
        foreach (var queue in _queues)
        {
            _bus.SubscribeAsync("r", null, new QueueViewer(queue)).GetAwaiter().GetResult(); // the local bus: already complete
        }

        _naive = [.. Enumerable.Range(0, Viewers).Select(_ => Channel.CreateBounded<byte[]>(new BoundedChannelOptions(256) { SingleReader = true }))];
        for (var i = 0; i < 200; i++)
        {
            PublishOnce();
            PerViewerSerialise();
        }
    }

    [Benchmark(Description = "LocalRoomBus: render once, share bytes (ours)")]
    public void PublishOnce()
    {
        _bus.Publish("r", Final);
        foreach (var queue in _queues)
        {
            queue.Reader.TryRead(out _); // the viewer's send loop, reduced to taking the event
        }
    }

    [Benchmark(Baseline = true, Description = "serialise per viewer")]
    public void PerViewerSerialise()
    {
        foreach (var queue in _naive)
        {
            queue.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(new
            {
                type = "final", speaker = Final.Speaker, segment_id = Final.SegmentId, text = Final.Text, start_ms = Final.StartMs, end_ms = Final.EndMs,
                sentences = Final.Sentences!.Select(s => new { text = s.Text, start_ms = Final.SentenceOffsetMs + s.StartSample / 16.0, end_ms = Final.SentenceOffsetMs + s.EndSample / 16.0 }),
            }));
            queue.Reader.TryRead(out _);
        }
    }

    private sealed class QueueViewer(Channel<RoomEvent> queue) : IRoomViewer
    {
        public bool TryDeliver(RoomEvent roomEvent) => queue.Writer.TryWrite(roomEvent);

        public void Dropped(RoomDropReason reason)
        {
        }
    }
}
