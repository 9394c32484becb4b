using System.Globalization;
using System.Text.Json;
using FunAsr.Simulator;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Jobs;
using Gateway.Load.Protocols;
using Gateway.Load.Streams;
using static Gateway.FunctionalTests.Rooms.RoomApi;
using StackExchange.Redis;
using LoadFixture = Gateway.Load.Audio.SpeechFixture;

namespace Gateway.FunctionalTests.Fleet;

/// <summary>
/// The fleet on loopback, every part a real process: redis-server, haproxy running the shipped deploy/haproxy.cfg,
/// three Gateway.Server processes and two FunASR simulators, the gateways sharing rooms and jobs through Redis. The load
/// tool's engine streams through haproxy while jobs run and two rooms have speakers and viewers on different gateways;
/// one gateway gets SIGTERM mid-run and another a SIGKILL mid-job, whose fleet admission slots (<c>Admission:Scope=Fleet</c>)
/// then lapse with its instance lease. The full-size scenario is scripts/fleet-demo.sh (docs/deployment.md §5).
/// </summary>
[Trait("Category", "Fleet")]
public sealed class FleetTests : IAsyncLifetime
{
    private const string JobText = "The quick brown fox jumps over the dog.";
    private const int Streams = 30;
    private const int Jobs = 10;
    private const int RoomSpeakers = 4;
    private const int RoomSpeakersOnA = 2;

    // Fleet admission (Admission:Scope=Fleet): above the 34 sessions phase 1 holds at most (each gateway's count may
    // read one over for a heartbeat), and small enough that filling it after the SIGKILL is cheap.
    private const int MaxClients = 40;
    // Leases long enough that a live gateway starved of CPU for a few seconds (three gateways, two simulators, redis
    // and haproxy on a loaded 2-core machine) is not taken for dead: the instance heartbeat runs every third of its
    // lease and a job lease is renewed every second, so each survives a 5-6 s stall. Short enough that what the
    // SIGKILLed gateway held lapses well within the test's deadline.
    private static readonly TimeSpan InstanceLease = TimeSpan.FromSeconds(9);
    private static readonly TimeSpan JobLease = TimeSpan.FromSeconds(6);
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(170));
    private readonly JobMedia _media = new();
    private readonly List<GatewayProcess> _gateways = [];
    private RedisServer _redis = null!;
    private SimulatorHost _sim1 = null!;
    private SimulatorHost _sim2 = null!;
    private HaproxyServer _haproxy = null!;

    public async Task InitializeAsync()
    {
        try
        {
            _redis = await RedisServer.StartAsync();
            _sim1 = await FunAsrSimulator.StartAsync(new SimulatorOptions());
            _sim2 = await FunAsrSimulator.StartAsync(new SimulatorOptions());
            var starts = Enumerable.Range(1, 3).Select(i => GatewayProcess.StartAsync(_sim1.Url, Settings(i), _deadline.Token)).ToArray();
            try
            {
                await Task.WhenAll(starts);
            }
            finally
            {
                _gateways.AddRange(starts.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            _haproxy = await HaproxyServer.StartAsync([.. _gateways.Select(g => g.Http)], _deadline.Token);
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync fails: leave no process behind.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        _gateways.Clear();
        foreach (var host in (SimulatorHost?[])[_sim1, _sim2])
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _media.Dispose();
    }

    [Fact(Timeout = 180_000)]
    public async Task ThreeGatewaysBehindHaproxy_SigtermDrainsWithoutLoss_Sigkill9JobsReclaimed()
    {
        var token = _deadline.Token;
        using var api = new JobApi(_haproxy.Http);
        var (a, b, c) = (_gateways[0], _gateways[1], _gateways[2]);

        // Two rooms, each with speakers on two gateways and a viewer on every gateway; gateway1 (stopped below) holds a
        // speaker of each, so their sessions run on into its pre-stop delay.
        await using var north = await FleetRoom.StartAsync("north", [("Alice", a), ("Bob", c)], _gateways, token);
        await using var south = await FleetRoom.StartAsync("south", [("Carol", b), ("Dave", a)], _gateways, token);
        while (await AdmittedAsync(a, token) < RoomSpeakersOnA)
        {
            await Task.Delay(50, token);
        }

        // Phase 1: jobs and live streams through haproxy; gateway1 is stopped (SIGTERM) while streams are starting.
        var wav = _media.Wav();
        var jobs = new List<string>();
        for (var i = 0; i < Jobs; i++)
        {
            jobs.Add(await api.SubmitOkAsync(wav, $"{i}.wav"));
        }

        var settings = new StreamSettings(
            Duration: TimeSpan.FromSeconds(6), TalkRatio: 0.3, FrameMs: 100, Ramp: TimeSpan.FromSeconds(9),
            RealTimeFactor: 1, EndpointSilenceMs: 300, Seed: 16, DrainTimeout: TimeSpan.FromSeconds(40));
        var load = StreamLoad.RunAsync(
            ProtocolClients.EndpointUrl(_haproxy.Http, ProtocolClients.Native), Streams, settings, LoadFixture.Load(LoadFixture.DefaultPath), upstreamProcessingMs: 10, metrics: null, token);

        while (await AdmittedAsync(a, token) < RoomSpeakersOnA + 3)
        {
            Assert.False(load.IsCompleted, "the load ended before gateway1 had sessions: " + (load.IsFaulted ? load.Exception!.Message : "done"));
            await Task.Delay(100, token);
        }

        a.Terminate();
        await _haproxy.WaitForAsync(up => !up.Contains("gateway1"), token);
        var routedToA = await _haproxy.SessionsAsync("gateway1", token);
        var routedToOthers = await _haproxy.SessionsAsync("gateway2", token) + await _haproxy.SessionsAsync("gateway3", token);
        var admittedByA = await AdmittedAsync(a, token);

        var report = await load;

        // Every stream, also those open on the stopping gateway, got every word once, in order, with clean closes.
        Assert.Equal(Streams, report.Connected);
        Assert.Equal(0, report.Refused + report.Failed + report.DrainTimeouts);
        Assert.Equal(0, report.AbnormalCloses);
        Assert.Empty(report.Errors);
        Assert.Equal(0, report.UtterancesWithoutFinal);
        Assert.Equal(0, report.SegmentsWithoutFinal);
        Assert.True(report.Words.Expected > Streams, $"{report.Words.Expected} words");
        Assert.Equal(report.Words.Expected, report.Words.Recovered);
        Assert.Equal(0, report.Words.Lost + report.Words.Duplicated + report.Words.OutOfOrder + report.Words.Unexpected);

        // The stopping gateway served sessions, got none after its checks failed, and the rest landed on the others.
        Assert.True(admittedByA >= RoomSpeakersOnA + 3, $"gateway1 admitted {admittedByA}");
        Assert.False(a.HasExited, "gateway1 is still in its pre-stop delay, serving what it has");
        Assert.Equal(routedToA, await _haproxy.SessionsAsync("gateway1", token));
        Assert.Equal(admittedByA, await AdmittedAsync(a, token));
        var streamsAfterDown = await _haproxy.SessionsAsync("gateway2", token) + await _haproxy.SessionsAsync("gateway3", token) - routedToOthers;
        Assert.True(streamsAfterDown > 0, "new sessions went to gateway2 and gateway3");
        Assert.Equal(Streams + RoomSpeakers, admittedByA + await AdmittedAsync(b, token) + await AdmittedAsync(c, token));

        // The rooms: every speaker (gateway1's two included, past its SIGTERM) closed normally with every word, and the
        // viewers on all three gateways saw every final once, in one fleet-wide order.
        var northCaptions = await north.AssertEveryViewerSawEveryCaptionInOrderAsync(TimeSpan.FromSeconds(60));
        await south.AssertEveryViewerSawEveryCaptionInOrderAsync(TimeSpan.FromSeconds(60));

        foreach (var id in jobs)
        {
            var result = await api.WaitFinishedAsync(id, token);
            Assert.Equal("done", result.GetProperty("status").GetString());
            Assert.Equal(1, result.GetProperty("attempts").GetInt32());
            Assert.Equal(JobText, result.GetProperty("sentences")[0].GetProperty("text").GetString());
        }

        // gateway1 ends by itself after the pre-stop delay and the drain, with exit code 0.
        await a.WaitForExitAsync(token);
        Assert.Equal(0, a.ExitCode);

        // gateway1 held a speaker of "north" and is gone; the room is not: a new viewer through haproxy (on gateway2 or
        // gateway3) gets every caption from Redis's history, once, each speaker's in its order. (The history is sorted
        // by speech start, docs/rooms.md §4, and speakers on different gateways are on different clocks, so only each
        // speaker's own order is defined across them.)
        await using (var late = await RoomViewerClient.WebSocketAsync(_haproxy.WebSocket, north.Name))
        {
            await late.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), TimeSpan.FromSeconds(30), "north's history");
            var replayed = late.OfType("final").Select(f => (Speaker: f.GetProperty("speaker").GetString()!, Text: f.GetProperty("text").GetString()!)).ToList();
            Assert.Equal(northCaptions.Count, replayed.Count);
            foreach (var speaker in northCaptions.Select(f => f.Speaker).Distinct())
            {
                Assert.Equal(northCaptions.Where(f => f.Speaker == speaker), replayed.Where(f => f.Speaker == speaker));
            }
        }

        // Phase 2: slower upstreams so jobs are mid-way; the gateway running one is killed with SIGKILL.
        _sim1.Faults.ExtraDelay = _sim2.Faults.ExtraDelay = TimeSpan.FromMilliseconds(30);
        var longJobs = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            longJobs.Add(await api.SubmitOkAsync(_media.Wav($"long{i}.wav", times: 4), $"long{i}.wav"));
        }

        var victim = await RunningGatewayAsync([b, c], token);
        var survivor = victim == b ? c : b;
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var db = redis.GetDatabase();
        var victimId = InstanceId(victim);

        // The victim holds two sessions' fleet slots when it dies (each taken in Redis before its ready).
        var held = await Task.WhenAll(StartedAsync(victim.WebSocket, token), StartedAsync(victim.WebSocket, token));
        Assert.Equal(2, (long)await db.HashGetAsync(ClientCounts, victimId));
        await victim.KillAsync();
        foreach (var client in held)
        {
            client.Abort();
        }

        // Its instance key was last renewed before the kill, so it lapses within one lease from now.
        var ttl = await db.KeyTimeToLiveAsync(InstanceKey(victimId));
        Assert.True(ttl <= InstanceLease || !await db.KeyExistsAsync(InstanceKey(victimId)), $"{InstanceKey(victimId)} expires in {ttl}");
        await _haproxy.WaitForAsync(up => up.Count == 1, token);

        var attempts = new List<int>();
        foreach (var id in longJobs)
        {
            var result = await api.WaitFinishedAsync(id, token);
            Assert.Equal("done", result.GetProperty("status").GetString());
            Assert.Equal(4 * 3, result.GetProperty("sentences").GetArrayLength());
            attempts.Add(result.GetProperty("attempts").GetInt32());
        }

        // What the killed gateway was running was reclaimed once by the survivor; nothing ran a third time, and the
        // history below counts every job once.
        Assert.Contains(2, attempts);
        Assert.All(attempts, n => Assert.InRange(n, 1, 2));
        var history = JsonDocument.Parse(await api.Http.GetStringAsync("/api/v1/asr/history?page_size=200&status=done", token)).RootElement;
        var done = history.GetProperty("total").GetInt32();
        if (done != Jobs + longJobs.Count)
        {
            Assert.Fail($"{done} of {Jobs + longJobs.Count} jobs done in the history:\n" + await JobsReportAsync(api, db, [.. jobs, .. longJobs]));
        }

        // Fleet admission: the killed gateway's slots come back within its lease. Its instance key lapses; the next
        // admission (through haproxy, on the survivor) forgets its count, and the fleet's count is the survivor's own.
        using (var lapse = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            lapse.CancelAfter(InstanceLease + TimeSpan.FromSeconds(10));
            while (await db.KeyExistsAsync(InstanceKey(victimId)))
            {
                await Task.Delay(50, lapse.Token);
            }
        }

        var admitted = new List<StreamClient> { await StartedAsync(_haproxy.WebSocket, token) };
        try
        {
            Assert.False(await db.HashExistsAsync(ClientCounts, victimId), $"{victimId}'s slots are still counted");
            long fleet;
            long open;
            using (var settle = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                settle.CancelAfter(TimeSpan.FromSeconds(15)); // a slot given back is fire-and-forget; the heartbeat rewrites it
                while ((fleet = await FleetCountAsync(db)) != (open = await MetricAsync(survivor, "gateway_admission_active", token)))
                {
                    await Task.Delay(50, settle.Token);
                }
            }

            Assert.Equal([InstanceId(survivor)], (await db.HashKeysAsync(ClientCounts)).Select(k => (string)k!));
            Assert.True(open >= 1, $"the survivor holds {open}");

            // The fleet limit refuses through haproxy: fill MaxClients, and the next client gets wait + 1013.
            for (var n = open; n < MaxClients; n++)
            {
                admitted.Add(await AdmittedEventuallyAsync(_haproxy.WebSocket, token));
            }

            using (var settle = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                settle.CancelAfter(TimeSpan.FromSeconds(15)); // one over for a beat when a heartbeat raced an admission
                while (await FleetCountAsync(db) != MaxClients)
                {
                    await Task.Delay(50, settle.Token);
                }
            }

            await using var refused = await StreamClient.ConnectAsync(Native(_haproxy.WebSocket));
            await refused.SendJsonAsync(new { type = "start" });
            Assert.Equal("wait", (await refused.ReceiveAsync()).GetProperty("type").GetString());
            Assert.Null(await refused.ReceiveOrCloseAsync());
            Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)1013, refused.CloseStatus);
        }
        finally
        {
            foreach (var client in admitted)
            {
                await client.DisposeAsync();
            }

            foreach (var client in held)
            {
                await client.DisposeAsync();
            }
        }
    }

    private const string ClientCounts = "gateway:admission:{clients}:counts";

    private static string InstanceKey(string id) => "gateway:instance:" + id;

    private string InstanceId(GatewayProcess gateway) => "gateway" + (_gateways.IndexOf(gateway) + 1).ToString(CultureInfo.InvariantCulture);

    private static Uri Native(Uri webSocket) => new(webSocket, "/v1/stream");

    private static async Task<long> FleetCountAsync(IDatabase db) => (await db.HashValuesAsync(ClientCounts)).Sum(v => (long)v);

    private static async Task<StreamClient> StartedAsync(Uri webSocket, CancellationToken token)
    {
        var client = await StreamClient.ConnectAsync(Native(webSocket));
        Assert.Equal("ready", (await client.StartAsync()).GetProperty("type").GetString());
        token.ThrowIfCancellationRequested();
        return client;
    }

    /// <summary>Asks until admitted: a heartbeat racing an admission counts its slot twice for one beat.</summary>
    private static async Task<StreamClient> AdmittedEventuallyAsync(Uri webSocket, CancellationToken token)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(token);
        within.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            var client = await StreamClient.ConnectAsync(Native(webSocket));
            await client.SendJsonAsync(new { type = "start" });
            if ((await client.ReceiveAsync()).GetProperty("type").GetString() == "ready")
            {
                return client;
            }

            await client.DisposeAsync();
            await Task.Delay(100, within.Token);
        }
    }

    /// <summary>Every job's status and attempts (API), its Redis hash, and what each gateway logged about it.</summary>
    private async Task<string> JobsReportAsync(JobApi api, IDatabase db, IEnumerable<string> ids)
    {
        var lines = new List<string>();
        foreach (var id in ids)
        {
            var result = await api.ResultAsync(id);
            var hash = await db.HashGetAsync("gateway:jobs:job:" + id, ["status", "lease", "entry", "stream"]);
            lines.Add($"{id}: {result.GetProperty("status").GetString()} attempts={result.GetProperty("attempts").GetInt32()} redis status={hash[0]} lease={hash[1]} entry={hash[2]} stream={hash[3]}");
            foreach (var (gateway, i) in _gateways.Select((g, i) => (g, i + 1)))
            {
                lines.AddRange(gateway.Output.Split('\n').Where(l => l.Contains(id, StringComparison.Ordinal)).Select(l => $"  gateway{i}: {l.Trim()}"));
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Waits until one of the candidates is running a job mid-way (its own count, asked of it directly).</summary>
    private static async Task<GatewayProcess> RunningGatewayAsync(GatewayProcess[] candidates, CancellationToken token)
    {
        while (true)
        {
            foreach (var gateway in candidates)
            {
                using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(10) };
                var queue = JsonDocument.Parse(await http.GetStringAsync("/api/v1/asr/queue/status", token)).RootElement;
                if (queue.GetProperty("processing_here").GetInt32() > 0)
                {
                    return gateway;
                }
            }

            await Task.Delay(50, token);
        }
    }

    private static Task<long> AdmittedAsync(GatewayProcess gateway, CancellationToken token) => MetricAsync(gateway, "gateway_admission_admitted_total", token);

    private static async Task<long> MetricAsync(GatewayProcess gateway, string name, CancellationToken token)
    {
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync("/metrics", token);
        return text.Split('\n')
            .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private Dictionary<string, string> Settings(int i) => new()
    {
        ["Upstream:Endpoints:1:Url"] = _sim2.Url.ToString(),
        ["Upstream:Endpoints:1:MinIdle"] = "0",
        ["Jobs:Redis"] = _redis.Configuration,
        ["Redis:Configuration"] = _redis.Configuration,
        ["Jobs:DataDirectory"] = _media.File("data-" + i.ToString(CultureInfo.InvariantCulture)),
        ["Jobs:LeaseTimeout"] = JobLease.ToString(),
        ["Jobs:MaxSegmentsInFlightPerJob"] = "1",
        ["Sessions:PreStopDelay"] = "00:00:20",
        ["Gateway:InstanceId"] = "gateway" + i.ToString(CultureInfo.InvariantCulture),
        ["Admission:Scope"] = "Fleet",
        ["Admission:MaxClients"] = MaxClients.ToString(CultureInfo.InvariantCulture),
        ["Redis:InstanceLease"] = InstanceLease.ToString(),
    };
}
