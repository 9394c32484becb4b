using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using FunAsr.Simulator;
using FunAsr.Simulator.Faults;
using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.EndToEnd.NativeResultsTests;

namespace Gateway.FunctionalTests.EndToEnd;

/// <summary>
/// Upstream outages and overload seen from the client: speech events in real time whatever the upstream does,
/// held segments delivered late but whole, every segment ends with exactly one final or one clear error, and a
/// graceful close always ends with 1000 within the drain timeout.
/// </summary>
public sealed class OutageTests
{
    private const double RealTimeFactor = 2;

    [Fact(Timeout = 60_000)]
    public async Task Stream_NoUpstreamAtStart_SpeechEventsInRealTimeEachSegmentOneClearErrorClose1000()
    {
        var faults = new SimulatorFaults { RefuseConnections = RefuseMode.RejectUpgrade };
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Dispatch:SegmentDeadline"] = "00:00:02", ["Sessions:DrainTimeout"] = "00:00:05" },
            simulatorOptions: new SimulatorOptions { Faults = faults });

        var run = await TimedStream.RunAsync(gateway, SpeechFixture.ThreeUtterances, RealTimeFactor);

        // speech_ended leaves within about a second of the audio that ends the speech (the endpoint silence, 0.5 s,
        // of which end_ms counts the 150 ms post-roll), never behind the upstream. Measured from when the client sent
        // that audio, not from when it was due: on a loaded machine the client's own pacing falls behind.
        var ended = run.Of("speech_ended");
        Assert.Equal(3, ended.Count);
        foreach (var (at, message) in ended)
        {
            var endpointMs = message.GetProperty("end_ms").GetDouble() + 500 - 150;
            var endpointSent = run.SentAt(endpointMs);
            Assert.True(at - endpointSent < TimeSpan.FromSeconds(1.5), $"speech_ended at {at.TotalSeconds:0.00} s for the endpoint audio ({endpointMs:0} ms) sent at {endpointSent.TotalSeconds:0.00} s");
        }

        var errors = run.Of("error");
        Assert.Equal(run.SegmentIds, errors.Select(e => e.Message.GetProperty("segment_id").GetInt64()).Order());
        Assert.All(errors, e =>
        {
            Assert.Equal("upstream_unavailable", e.Message.GetProperty("code").GetString());
            Assert.Contains("of it being spoken", e.Message.GetProperty("message").GetString());
        });
        Assert.Empty(run.Of("final"));
        Assert.Empty(run.Of("overflow"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, run.CloseStatus);
        Assert.True(run.ClosedAfterClose < TimeSpan.FromSeconds(5 + 2), $"closed {run.ClosedAfterClose.TotalSeconds:0.0} s after close");
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_UpstreamKilledMidSegmentAndBack_EveryWordInOrderHeldFinalsMarkedLate()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Upstream:ConnectTimeout"] = "00:00:01",
        });

        // Killed once the first phrase is under way (its utterance is open), back 3 s later.
        var run = await TimedStream.RunAsync(gateway, SpeechFixture.ThreeUtterances, RealTimeFactor, async (client, sentMs) =>
        {
            if (sentMs >= 1_500 && client.Once("kill"))
            {
                await gateway.KillSimulatorAsync();
                _ = Task.Delay(3_000).ContinueWith(_ => gateway.RestartSimulatorAsync()).Unwrap();
            }
        });

        AssertWordsRecovered(SpeechFixture.ThreeUtterances, run.Messages);
        AssertSegmentLifecycles(run.Messages);
        var late = run.Of("final").Where(f => f.Message.TryGetProperty("late", out var l) && l.GetBoolean()).ToList();
        Assert.NotEmpty(late);
        Assert.All(late, f => Assert.True(f.Message.GetProperty("delay_ms").GetDouble() > 0));
        Assert.Empty(run.Of("overflow"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, run.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_UpstreamAcceptsButNeverAnswers_EachSegmentOneErrorClose1000WithinDrain()
    {
        var faults = new SimulatorFaults { SilentFinalProbability = 1.0 };
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>
            {
                ["Upstream:FinalTimeout"] = "00:00:01",
                ["Dispatch:MaxAttempts"] = "2",
                ["Sessions:DrainTimeout"] = "00:00:02",
            },
            simulatorOptions: new SimulatorOptions { Faults = faults });

        var run = await TimedStream.RunAsync(gateway, SpeechFixture.ThreeUtterances, RealTimeFactor);

        var errors = run.Of("error");
        Assert.Equal(run.SegmentIds, errors.Select(e => e.Message.GetProperty("segment_id").GetInt64()).Order());
        Assert.All(errors, e => Assert.Equal("upstream_unavailable", e.Message.GetProperty("code").GetString()));
        Assert.Empty(run.Of("final"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, run.CloseStatus);
        Assert.True(run.ClosedAfterClose < TimeSpan.FromSeconds(2 + 2), $"closed {run.ClosedAfterClose.TotalSeconds:0.0} s after close");
    }

    [Fact(Timeout = 90_000)]
    public async Task Stream_DroppedConnectionsAndMissingFinals_ExactlyOneFinalPerSegmentNoWordLostOrDoubled()
    {
        var faults = new SimulatorFaults(seed: 23) { DropConnectionProbability = 0.2, SilentFinalProbability = 0.2 };
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?> { ["Upstream:FinalTimeout"] = "00:00:01", ["Dispatch:MaxAttempts"] = "10" },
            simulatorOptions: new SimulatorOptions { Faults = faults });

        var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StreamFixtureAsync(gateway, SpeechFixture.ThreeUtterances, realTimeFactor: 4)));

        Assert.All(sessions, messages =>
        {
            AssertWordsRecovered(SpeechFixture.ThreeUtterances, messages);
            AssertSegmentLifecycles(messages);
        });
        Assert.True(gateway.Simulator.Stats.FaultCount(FaultKind.DropConnection) > 0, "no connection was dropped");
        Assert.True(gateway.Simulator.Stats.FaultCount(FaultKind.SilentFinal) > 0, "no final went missing");
    }

    [Fact(Timeout = 90_000)]
    public async Task Stream_UpstreamSlowerThanRealTime_NoOverflowEverySegmentOneOutcomeThenFullRecovery()
    {
        // One decoder at half a second per audio second keeps up with two real-time streams; six streams at 4x
        // real time send it about six times what it can serve. The pool is sized to what the upstream can serve
        // (two connections): more would only share the decoder until no utterance finishes in time.
        var simulator = new SimulatorOptions { DecoderWorkers = 1, DecodeCostPerAudioSecond = TimeSpan.FromMilliseconds(500) };
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>
            {
                ["Upstream:Endpoints:0:MaxConnections"] = "2",
                ["Dispatch:SegmentDeadline"] = "00:00:03",
                ["Sessions:DrainTimeout"] = "00:00:06",
            },
            simulatorOptions: simulator);

        var overloaded = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TimedStream.RunAsync(gateway, SpeechFixture.ThreeUtterances, 4)));

        Assert.All(overloaded, run =>
        {
            Assert.Empty(run.Of("overflow"));
            Assert.Equal(WebSocketCloseStatus.NormalClosure, run.CloseStatus);
            var outcomes = run.Of("final").Concat(run.Of("error")).Select(m => m.Message.GetProperty("segment_id").GetInt64()).Order().ToList();
            Assert.Equal(run.SegmentIds, outcomes); // exactly one final or one error per segment, none silent
            Assert.All(run.Of("error"), e => Assert.Equal("upstream_unavailable", e.Message.GetProperty("code").GetString()));
        });
        Assert.Contains(overloaded, run => run.Of("final").Count > 0); // it kept transcribing what it could
        Assert.True(gateway.Simulator.Stats.Decoders.MaxWaiting > 0, "the simulator never fell behind");

        // The load is gone: one stream at real time gets every word.
        var after = await TimedStream.RunAsync(gateway, SpeechFixture.ThreeUtterances, 1);
        AssertWordsRecovered(SpeechFixture.ThreeUtterances, after.Messages);
    }

    /// <summary>One native session streamed at a multiple of real time, each message with its arrival time.</summary>
    private sealed class TimedStream
    {
        private readonly HashSet<string> _done = [];
        private readonly List<(double AudioMs, TimeSpan At)> _sent = [];

        public List<(TimeSpan At, JsonElement Message)> Timed { get; } = [];

        public List<JsonElement> Messages => Timed.Select(t => t.Message).ToList();

        public WebSocketCloseStatus? CloseStatus { get; private set; }

        /// <summary>From the client's close message to the server's close.</summary>
        public TimeSpan ClosedAfterClose { get; private set; }

        public List<long> SegmentIds => Of("speech_started").Select(s => s.Message.GetProperty("segment_id").GetInt64()).Order().ToList();

        public List<(TimeSpan At, JsonElement Message)> Of(string type) => Timed.Where(t => Type(t.Message) == type).ToList();

        public bool Once(string key) => _done.Add(key);

        /// <summary>When the client had sent the audio up to <paramref name="audioMs"/> (the end of the stream if it never did).</summary>
        public TimeSpan SentAt(double audioMs) => _sent.Find(s => s.AudioMs >= audioMs) is { AudioMs: > 0 } sent ? sent.At : _sent[^1].At;

        public static async Task<TimedStream> RunAsync(TestGateway gateway, SpeechFixture fixture, double factor, Func<TimedStream, double, Task>? during = null)
        {
            var run = new TimedStream();
            await using var client = await StreamClient.ConnectAsync(gateway.Stream());
            await client.StartAsync();
            var clock = Stopwatch.StartNew();
            var reading = Task.Run(async () =>
            {
                while (await client.ReceiveOrCloseAsync() is { } message)
                {
                    lock (run.Timed)
                    {
                        run.Timed.Add((clock.Elapsed, message));
                    }
                }
            });
            var bytes = fixture.Pcm16Bytes;
            const int frame = 3200;
            for (var offset = 0; offset < bytes.Length; offset += frame)
            {
                await client.SendAudioAsync(bytes.AsMemory(offset, Math.Min(frame, bytes.Length - offset)));
                var sentMs = Math.Min(offset + frame, bytes.Length) / 32.0;
                run._sent.Add((sentMs, clock.Elapsed));
                if (during is not null)
                {
                    await during(run, sentMs);
                }

                var due = TimeSpan.FromMilliseconds(sentMs / factor);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }

            var closeAt = clock.Elapsed;
            await client.SendJsonAsync(new { type = "close" });
            await reading.WaitAsync(TimeSpan.FromSeconds(30));
            run.ClosedAfterClose = clock.Elapsed - closeAt;
            run.CloseStatus = client.CloseStatus;
            return run;
        }
    }
}
