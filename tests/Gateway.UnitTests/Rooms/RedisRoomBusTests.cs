using Gateway.Core.Instance;
using Gateway.Core.Redis;
using Gateway.Core.Rooms;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.UnitTests.Rooms;

/// <summary>The behaviour suite against <see cref="RedisRoomBus"/> on a real redis-server (one per class, a fresh key prefix per test).</summary>
public sealed class RedisRoomBusTests(RedisRoomBusTests.Server server) : RoomBusBehaviourTests, IClassFixture<RedisRoomBusTests.Server>, IDisposable
{
    private readonly List<RedisConnection> _connections = [];
    private readonly List<RedisRoomBus> _buses = [];

    protected override IRoomBus Create(int historyCapacity = 1000)
    {
        var connection = new RedisConnection(Options.Create(new RedisOptions { Configuration = server.Redis.Configuration, Prefix = "t" + Guid.NewGuid().ToString("N")[..10] }));
        _connections.Add(connection);
        return Track(new RedisRoomBus(Options.Create(new RoomOptions { HistoryCapacity = historyCapacity }), connection, Instance("solo"), NullLogger<RedisRoomBus>.Instance));
    }

    /// <summary>
    /// Waits until every bus of the test has had its publishes answered (Publish does not wait), then until this bus's
    /// subscription (if it follows the room) delivered everything Redis numbered.
    /// </summary>
    protected override async Task SettleAsync(IRoomBus bus, string room)
    {
        var redis = (RedisRoomBus)bus;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (_buses.Any(b => b.PublishesInFlight > 0))
        {
            await Task.Delay(5, deadline.Token);
        }

        var last = bus.LastSequence(room);
        while (redis.DeliveredSequence(room) is { } delivered && delivered < last)
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Publish_TwoGatewaysOnOneRedis_EachViewerSeesBothSpeakersInOneOrder()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var a = Bus(prefix);
        var b = Bus(prefix);
        var onA = new RecordingViewer();
        var onB = new RecordingViewer();
        a.Subscribe("r", null, onA);
        b.Subscribe("r", null, onB);

        var speakers = new[] { Task.Run(() => Speak(a, "Alice")), Task.Run(() => Speak(b, "Bob")) };
        await Task.WhenAll(speakers);
        await SettleAsync(a, "r");
        await SettleAsync(b, "r");

        Assert.Equal(Enumerable.Range(1, 400).Select(n => (long)n), onA.Events.Select(e => e.Sequence));
        Assert.Equal(onA.Events.Select(e => e.Data.Text), onB.Events.Select(e => e.Data.Text));
        foreach (var speaker in (string[])["Alice", "Bob"])
        {
            // Each speaker's own events keep the order it published them in.
            Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{speaker} {i}"), onB.Events.Where(e => e.Data.Speaker == speaker).Select(e => e.Data.Text));
        }

        // A late joiner on a third gateway gets the whole history from Redis, though neither gateway is asked.
        var late = Bus(prefix).Subscribe("r", null, new RecordingViewer());
        Assert.Equal(400, late.Events.Count);
        Assert.Equal(400, late.LastSequence);

        static void Speak(IRoomBus bus, string speaker)
        {
            for (var i = 0; i < 200; i++)
            {
                bus.Publish("r", Final(speaker, i, $"{speaker} {i}", startMs: i));
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Publish_RedisRestartsMidRoom_TheViewerGetsTheRetainedEventsItMissedFromTheHistory()
    {
        var bus = Create();
        var viewer = new RecordingViewer();
        bus.Subscribe("r", null, viewer);
        bus.Publish("r", Final("Alice", 1, "before"));
        await SettleAsync(bus, "r");

        await server.Redis.KillAsync();
        bus.Publish("r", Final("Alice", 2, "lost while down")); // not taken: counted, logged, never thrown
        await server.Redis.RestartAsync();

        // Published by another gateway while this one's subscription is still reconnecting: arrives through the history.
        var other = Bus(((RedisRoomBus)bus).Prefix);
        other.Publish("r", Final("Bob", 3, "during the reconnect"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!viewer.Events.Any(e => e.Data.Text == "after"))
        {
            other.Publish("r", Final("Bob", 4, "after"));
            await Task.Delay(200, deadline.Token);
        }

        // (The event published while Redis was down may or may not arrive: the multiplexer retries it until its timeout.)
        var texts = viewer.Events.Select(e => e.Data.Text).ToList();
        Assert.Equal("before", texts[0]);
        Assert.Contains("during the reconnect", texts);
        Assert.Equal(viewer.Events.Select(e => e.Sequence).Distinct().Order(), viewer.Events.Select(e => e.Sequence));
    }

    [Fact(Timeout = 30_000)]
    public async Task Remove_OneOfTwoGatewaysLetsGo_TheOtherKeepsTheRoom_HistoryAndSequenceContinue()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var a = Alive(prefix, "a");
        var b = Alive(prefix, "b");
        a.Publish("r", Final("Alice", 1, "one"));
        a.Publish("r", Final("Alice", 2, "two"));
        await SettleAsync(a, "r");
        b.Publish("r", Final("Bob", 3, "three")); // b holds the room too
        await SettleAsync(b, "r");

        a.Remove("r"); // a's room lingered out: b still holds it
        b.Publish("r", Final("Bob", 4, "four"));
        await SettleAsync(b, "r");

        var late = Bus(prefix, "c").Subscribe("r", null, new RecordingViewer());
        Assert.Equal(["one", "two", "three", "four"], late.Events.Select(e => e.Data.Text));
        Assert.Equal([1L, 2, 3, 4], late.Events.Select(e => e.Sequence));
    }

    [Fact(Timeout = 30_000)]
    public async Task Remove_AViewerOnlyGatewayHoldsTheRoom_TheSpeakersGatewayLettingGoKeepsIt()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var a = Alive(prefix, "a");
        var b = Alive(prefix, "b");
        a.Publish("r", Final("Alice", 1, "one"));
        await SettleAsync(a, "r");
        var onB = new RecordingViewer();
        b.Subscribe("r", null, onB);

        a.Remove("r");
        Assert.Equal(1, b.LastSequence("r"));
        Assert.Single(Bus(prefix, "c").Finals("r"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Remove_TheOtherHolderIsDead_ItsMembershipLapsesAndTheRoomGoes()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var a = Alive(prefix, "a");
        var b = Alive(prefix, "b");
        a.Publish("r", Final("Alice", 1, "one"));
        await SettleAsync(a, "r");
        Assert.True(a.TryClaimSpeaker("r", "Alice"));

        await Db(prefix).KeyDeleteAsync($"{prefix}:instance:a"); // a's heartbeat lapsed: it died
        Assert.True(b.TryClaimSpeaker("r", "alice")); // its names lapse with it
        b.ReleaseSpeaker("r", "alice");
        b.Remove("r");

        Assert.Equal(0, b.LastSequence("r"));
        var keys = new[] { "seq", "history", "speakers", "gateways" }.Select(k => (RedisKey)$"{prefix}:room:{{r}}:{k}").ToArray();
        Assert.Equal(0, await Db(prefix).KeyExistsAsync(keys));
    }

    [Fact(Timeout = 60_000)]
    public async Task RequestPathCalls_RedisStalls_EachReturnsAtOnceUnfinishedAndCompletesWhenRedisAnswers()
    {
        // A generous async timeout: the stall below must end by the test's resume, not by the client giving up.
        var bus = Bus("t" + Guid.NewGuid().ToString("N")[..10], "a", ",asyncTimeout=30000");
        bus.Publish("r", Final("Alice", 1, "one"));
        await SettleAsync(bus, "r");
        var viewer = new RecordingViewer();

        Task<RoomReplay> subscribing;
        Task<bool> claiming;
        Task<long> last;
        Task<IReadOnlyList<RoomEvent>> finals;
        await server.Redis.PauseAsync();
        try
        {
            // A synchronous call would hold this thread until Redis answered (or time out and throw): none may.
            subscribing = bus.SubscribeAsync("r", null, viewer);
            claiming = bus.TryClaimSpeakerAsync("r", "Bob");
            last = bus.LastSequenceAsync("r");
            finals = bus.FinalsAsync("r");
            bus.Remove("other");
            Assert.False(subscribing.IsCompleted);
            Assert.False(claiming.IsCompleted);
            Assert.False(last.IsCompleted);
            Assert.False(finals.IsCompleted);
        }
        finally
        {
            await server.Redis.ResumeAsync();
        }

        var replay = await subscribing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["one"], replay.Events.Select(e => e.Data.Text));
        Assert.Equal(1, replay.LastSequence);
        Assert.True(await claiming);
        Assert.Equal(1, await last);
        Assert.Single(await finals);
        bus.Publish("r", Final("Alice", 2, "two")); // and the subscription is live
        await SettleAsync(bus, "r");
        Assert.Equal(["two"], viewer.Events.Select(e => e.Data.Text));
    }

    [Fact(Timeout = 30_000)]
    public async Task TryClaimSpeaker_AnotherLiveGatewayHoldsTheName_RefusedIgnoringCaseUntilReleased()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var a = Alive(prefix, "a");
        var b = Alive(prefix, "b");

        Assert.True(a.TryClaimSpeaker("r", "Alice"));
        Assert.False(b.TryClaimSpeaker("r", "ALICE"));
        Assert.True(b.TryClaimSpeaker("r", "Bob"));
        Assert.True(b.TryClaimSpeaker("other", "Alice")); // per room

        a.ReleaseSpeaker("r", "Alice");
        b.ReleaseSpeaker("r", "alice"); // not b's: a no-op
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!b.TryClaimSpeaker("r", "alice"))
        {
            await Task.Delay(10, deadline.Token); // the release is sent without waiting
        }

        Assert.False(a.TryClaimSpeaker("r", "Alice"));
    }

    private RedisRoomBus Bus(string prefix, string instance = "solo", string settings = "")
    {
        var connection = new RedisConnection(Options.Create(new RedisOptions { Configuration = server.Redis.Configuration + settings, Prefix = prefix }));
        _connections.Add(connection);
        return Track(new RedisRoomBus(Options.Create(new RoomOptions()), connection, Instance(instance), NullLogger<RedisRoomBus>.Instance));
    }

    /// <summary>A gateway whose heartbeat key exists (what the instance lease heartbeat writes).</summary>
    private RedisRoomBus Alive(string prefix, string instance)
    {
        Db(prefix).StringSet($"{prefix}:instance:{instance}", "1", TimeSpan.FromMinutes(1));
        return Bus(prefix, instance);
    }

    private IDatabase Db(string prefix)
    {
        var connection = new RedisConnection(Options.Create(new RedisOptions { Configuration = server.Redis.Configuration, Prefix = prefix }));
        _connections.Add(connection);
        return connection.Database;
    }

    private static GatewayInstance Instance(string id) => new(Options.Create(new InstanceOptions { InstanceId = id }));

    private RedisRoomBus Track(RedisRoomBus bus)
    {
        _buses.Add(bus);
        return bus;
    }

    public void Dispose() => _connections.ForEach(c => c.Dispose());

    /// <summary>One redis-server for the class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public async Task InitializeAsync() => Redis = await RedisServer.StartAsync();

        public async Task DisposeAsync() => await Redis.DisposeAsync();
    }
}
