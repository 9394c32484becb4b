using System.Diagnostics;
using FunAsr.Simulator;
using Xunit.Abstractions;

namespace Gateway.Upstream.Tests.Pooling;

/// <summary>
/// More real-time speakers than the simulator's decoders can serve (capacity model, docs/simulator.md): with the
/// adaptive limit the pool keeps the served utterances on time and turns the rest away with QueueTimeout; without it
/// every utterance shares the decoder and comes late. Compared by counts within the test, no absolute timing.
/// </summary>
public sealed class AdaptiveLimitOverloadTests(ITestOutputHelper output)
{
    private const int Speakers = 6;
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(7);

    [Fact(Timeout = 60000)]
    public async Task Overload_MoreSpeakersThanTheDecoderServes_MoreFinalsOnTimeWithTheLimit()
    {
        var without = await RunAsync(limit: false);
        var with = await RunAsync(limit: true);

        var report = $"without: {without}; with: {with}";
        output.WriteLine(report);
        // Every utterance ended with its final or a clear error (nothing silent), either way.
        Assert.True(without.Unaccounted == 0 && with.Unaccounted == 0, report);
        // The first round (all six at once) is late either way; after the cut, served ones come on time.
        Assert.True(with.OnTime > without.OnTime, report);
        Assert.True(with.Refused > 0 && without.Refused == 0, report); // the rest turned away, not served late
    }

    private static async Task<Outcome> RunAsync(bool limit)
    {
        // One decoder at 0.4 s per audio second: about 2.5 real-time speakers; 6 talk without a pause.
        await using var sim = await FunAsrSimulator.StartAsync(new SimulatorOptions
        {
            StepLatency = TimeSpan.Zero,
            FinalLatency = TimeSpan.FromMilliseconds(1),
            DecoderWorkers = 1,
            DecodeCostPerAudioSecond = TimeSpan.FromSeconds(0.4),
        });
        await using var client = new UpstreamClient(SimulatorFixture.Options(sim, e => e.MaxConnections = Speakers, o =>
        {
            o.AcquireTimeout = TimeSpan.FromSeconds(1);
            o.FinalTimeout = TimeSpan.FromSeconds(10);
            o.AdaptiveLimit.Enabled = limit;
            o.AdaptiveLimit.LatencyThreshold = TimeSpan.FromMilliseconds(500);
        }));
        var outcome = new Outcome();
        var clock = Stopwatch.StartNew();
        var speakers = Enumerable.Range(0, Speakers).Select(i => Task.Run(() => SpeakAsync(client, i, clock, outcome)));
        await Task.WhenAll(speakers);
        return outcome;
    }

    private static async Task SpeakAsync(UpstreamClient client, int speaker, Stopwatch clock, Outcome outcome)
    {
        var pcm = SimulatorFixture.Audio(1, speaker);
        while (clock.Elapsed < Run)
        {
            Interlocked.Increment(ref outcome.Utterances);
            var start = await client.StartUtteranceAsync();
            if (start.Utterance is null)
            {
                Assert.Equal(UpstreamError.QueueTimeout, start.Error);
                Interlocked.Increment(ref outcome.Refused);
                continue;
            }

            await using var utterance = start.Utterance;
            var reading = Task.Run(async () =>
            {
                var last = default(UpstreamResult);
                await foreach (var r in utterance.ReadAllAsync())
                {
                    last = r;
                }

                return last;
            });
            for (var offset = 0; offset < pcm.Length - 3200; offset += 3200)
            {
                await utterance.PushAudioAsync(pcm.AsMemory(offset, 3200)); // 100 ms of audio every 100 ms
                await Task.Delay(100);
            }

            await utterance.FinishAsync(pcm.AsMemory(pcm.Length - 3200));
            var finished = Stopwatch.GetTimestamp();
            var terminal = await reading;
            var latency = Stopwatch.GetElapsedTime(finished);
            if (terminal.Kind == UpstreamResultKind.Completed)
            {
                Interlocked.Increment(ref outcome.Finals);
                if (latency <= OnTime)
                {
                    Interlocked.Increment(ref outcome.OnTime);
                }
            }
            else if (terminal.Kind == UpstreamResultKind.Failed && terminal.Error != UpstreamError.None)
            {
                Interlocked.Increment(ref outcome.Failed);
            }
        }
    }

    private sealed class Outcome
    {
        public int Utterances;
        public int Finals;
        public int OnTime;
        public int Refused;
        public int Failed;

        public int Unaccounted => Utterances - Finals - Refused - Failed;

        public override string ToString() =>
            $"{Utterances} utterances, {Finals} finals ({OnTime} within {AdaptiveLimitOverloadTests.OnTime.TotalSeconds} s), {Refused} refused, {Failed} failed";
    }
}
