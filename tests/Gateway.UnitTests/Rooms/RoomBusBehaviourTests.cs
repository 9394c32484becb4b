using System.Text;
using System.Text.Json;
using Gateway.Core.Rooms;

namespace Gateway.UnitTests.Rooms;

/// <summary>
/// What every <see cref="IRoomBus"/> must do (docs/rooms.md §7), run against each implementation: one derived class
/// per bus (<see cref="LocalRoomBusTests"/>, <see cref="RedisRoomBusTests"/>). A shared bus delivers asynchronously;
/// <see cref="SettleAsync"/> waits until this process's viewers have everything published so far.
/// </summary>
public abstract class RoomBusBehaviourTests
{
    protected abstract IRoomBus Create(int historyCapacity = 1000);

    protected virtual Task SettleAsync(IRoomBus bus, string room) => Task.CompletedTask;

    [Fact(Timeout = 30_000)]
    public async Task Publish_SeveralViewers_EachGetsEveryEventOnceInSequenceFromOne()
    {
        var bus = Create();
        var viewers = Enumerable.Range(0, 3).Select(_ => new RecordingViewer()).ToList();
        viewers.ForEach(v => bus.Subscribe("r", null, v));

        for (var i = 0; i < 10; i++)
        {
            bus.Publish("r", Final("Alice", i, $"t{i}"));
        }

        await SettleAsync(bus, "r");
        Assert.All(viewers, v => Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), v.Events.Select(e => e.Sequence)));
        Assert.Equal(10, bus.LastSequence("r"));
        Assert.Equal(0, bus.LastSequence("other"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscribe_WhileSpeakersPublish_ReplayThenLiveHasNoGapAndNoRepeat()
    {
        var bus = Create(historyCapacity: 100_000);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var speakers = Enumerable.Range(0, 3).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                bus.Publish("r", Final($"S{s}", i, "x"));
            }
        })).ToList();

        var viewers = new List<(RoomReplay Replay, RecordingViewer Viewer)>();
        while (!speakers.All(t => t.IsCompleted))
        {
            var viewer = new RecordingViewer();
            viewers.Add((bus.Subscribe("r", 0, viewer), viewer));
            await Task.Yield();
        }

        await Task.WhenAll(speakers).WaitAsync(stop.Token);
        await SettleAsync(bus, "r");
        Assert.NotEmpty(viewers);
        foreach (var (replay, viewer) in viewers)
        {
            var seen = replay.Events.Concat(viewer.Events).Select(e => e.Sequence).ToList();
            Assert.Equal(Enumerable.Range(1, 6000).Select(n => (long)n), seen);
            Assert.Equal(replay.LastSequence, replay.Events.Count == 0 ? 0 : replay.Events[^1].Sequence);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscribe_LateJoiner_GetsTheFinalsSoFarInOrderOfSpeechStartAndNoPartials()
    {
        var bus = Create();
        bus.Publish("r", new RoomEventData(RoomEventKind.SpeechStarted, "Alice", 1, 1, 100));
        bus.Publish("r", new RoomEventData(RoomEventKind.Partial, "Alice", 1, 1, 100, 900, "long sen"));
        bus.Publish("r", Final("Bob", 2, "short", startMs: 500));   // started later, final first
        bus.Publish("r", Final("Alice", 1, "long sentence", startMs: 100));
        bus.Publish("r", Final("Chloé", 3, "same start", startMs: 500));

        await SettleAsync(bus, "r");
        var replay = bus.Subscribe("r", null, new RecordingViewer());

        Assert.Equal(["long sentence", "short", "same start"], replay.Events.Select(e => e.Data.Text));
        Assert.Equal(5, replay.LastSequence);
        Assert.Equal(["long sentence", "short", "same start"], bus.Finals("r").Select(e => e.Data.Text));
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscribe_AfterAnEvent_ReplaysTheRetainedEventsAfterItInSequence()
    {
        var bus = Create();
        bus.Publish("r", new RoomEventData(RoomEventKind.ParticipantJoined, "Alice"));
        bus.Publish("r", Final("Alice", 1, "one"));
        bus.Publish("r", new RoomEventData(RoomEventKind.Partial, "Alice", 2, 2, 0, 0, "tw"));
        bus.Publish("r", Final("Alice", 2, "two"));
        bus.Publish("r", new RoomEventData(RoomEventKind.ParticipantLeft, "Alice"));
        await SettleAsync(bus, "r");

        var replay = bus.Subscribe("r", 2, new RecordingViewer());

        Assert.Equal([4L, 5L], replay.Events.Select(e => e.Sequence));
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.Subscribe("r", 6, new RecordingViewer()));
    }

    [Fact(Timeout = 30_000)]
    public async Task Publish_ViewerQueueFull_ThatViewerIsDroppedTheOthersGetEverything()
    {
        var bus = Create();
        var slow = new RecordingViewer(capacity: 3);
        var fast = new RecordingViewer();
        bus.Subscribe("r", null, slow);
        bus.Subscribe("r", null, fast);

        for (var i = 0; i < 10; i++)
        {
            bus.Publish("r", Final("Alice", i, "x"));
        }

        await SettleAsync(bus, "r");
        Assert.Equal(RoomDropReason.SlowViewer, slow.DroppedFor);
        Assert.Equal(3, slow.Events.Count);
        Assert.Equal(10, fast.Events.Count);
        Assert.Null(fast.DroppedFor);
    }

    [Fact(Timeout = 30_000)]
    public async Task Publish_BeyondHistoryCapacity_TheOldestEventsGo()
    {
        var bus = Create(historyCapacity: 100);
        for (var i = 0; i < 150; i++)
        {
            bus.Publish("r", Final("Alice", i, $"t{i}", startMs: i));
        }

        await SettleAsync(bus, "r");
        var finals = bus.Finals("r");
        Assert.Equal(100, finals.Count);
        Assert.Equal("t50", finals[0].Data.Text);
        Assert.Equal(51, bus.Subscribe("r", 0, new RecordingViewer()).Events[0].Sequence);
    }

    [Fact(Timeout = 30_000)]
    public async Task Remove_ViewersAreDroppedAsRoomClosedAndTheHistoryGoes()
    {
        var bus = Create();
        var viewer = new RecordingViewer();
        bus.Subscribe("r", null, viewer);
        bus.Publish("r", Final("Alice", 1, "one"));
        await SettleAsync(bus, "r");

        bus.Remove("r");
        bus.Publish("r", Final("Alice", 2, "two"));

        Assert.Equal(RoomDropReason.RoomClosed, viewer.DroppedFor);
        Assert.Single(viewer.Events);
        Assert.Equal(1, bus.LastSequence("r")); // a new room of the same name starts from 1
    }

    [Fact(Timeout = 30_000)]
    public async Task Unsubscribe_ViewerGetsNothingMore()
    {
        var bus = Create();
        var viewer = new RecordingViewer();
        bus.Subscribe("r", null, viewer);
        var other = new RecordingViewer();
        bus.Subscribe("r", null, other);
        bus.Publish("r", Final("Alice", 1, "one"));
        await SettleAsync(bus, "r");

        bus.Unsubscribe("r", viewer);
        bus.Publish("r", Final("Alice", 2, "two"));
        await SettleAsync(bus, "r");

        Assert.Single(viewer.Events);
        Assert.Equal(2, other.Events.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Publish_RendersOnceForEveryViewer_JsonAndSseFrameShareTheEvent()
    {
        var bus = Create();
        var a = new RecordingViewer();
        var b = new RecordingViewer();
        bus.Subscribe("r", null, a);
        bus.Subscribe("r", null, b);

        bus.Publish("r", new RoomEventData(RoomEventKind.Final, "Chloé", 7, 3, 1250.04, 2000, "bonjour <tout>", [new("bonjour <tout>", 0, 12000)], SentenceOffsetMs: 1000));
        await SettleAsync(bus, "r");

        Assert.Same(a.Events[0], b.Events[0]);
        Assert.Same(a.Events[0].Json, b.Events[0].Json);
        var json = Encoding.UTF8.GetString(a.Events[0].Json);
        Assert.Equal("""{"type":"final","seq":1,"speaker":"Chloé","segment_id":7,"session_segment_id":3,"start_ms":1250,"end_ms":2000,"text":"bonjour <tout>","sentences":[{"text":"bonjour <tout>","start_ms":1000,"end_ms":1750}]}""", json);
        Assert.Equal($"id: 1\ndata: {json}\n\n", Encoding.UTF8.GetString(a.Events[0].Sse));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(a.Events[0].Json).RootElement.ValueKind);
    }

    protected static double Allocated(IRoomBus bus, int viewers)
    {
        for (var i = 0; i < viewers; i++)
        {
            bus.Subscribe("r", null, new CountingViewer());
        }

        var data = Final("Alice", 1, "the quick brown fox");
        for (var i = 0; i < 100; i++)
        {
            bus.Publish("r", data); // warm-up: history queue growth
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++)
        {
            bus.Publish("r", data);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 500.0;
    }

    protected static RoomEventData Final(string speaker, long segment, string text, double startMs = 0) =>
        new(RoomEventKind.Final, speaker, segment, segment, startMs, startMs + 100, text);

    private sealed class CountingViewer : IRoomViewer
    {
        public int Count;

        public bool TryDeliver(RoomEvent roomEvent)
        {
            Count++;
            return true;
        }

        public void Dropped(RoomDropReason reason)
        {
        }
    }
}
