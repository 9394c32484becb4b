using System.Collections.Concurrent;
using FunAsr.Simulator;
using FunAsr.Simulator.Content;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

/// <summary>The capacity model seen by clients: a server with too few decoders answers late, in arrival order.</summary>
public sealed class CapacityTests
{
    [Fact(Timeout = 15_000)]
    public async Task Offline_EightUtterancesOnTwoDecoders_ResultsInPairsInEndOfUtteranceOrder()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Sim.Epoch));
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline, o =>
        {
            o.TimeProvider = time;
            o.DecoderWorkers = 2;
            o.DecodeCostPerAudioSecond = TimeSpan.FromSeconds(0.5);
        });
        var decoders = sim.Stats.Decoders;
        var clients = new List<SimClient>();
        var answered = new ConcurrentQueue<int>();
        var results = new Task<string?>[8];
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var client = await SimClient.ConnectAsync(sim.Url);
                clients.Add(client);
                await client.SendTextAsync($$"""{"wav_name":"utt-{{i}}","is_speaking":true}""");
                await client.SendBinaryAsync(Bytes(Unmarked(1000, seed: i)));
                await client.EosAsync();

                // One EOS at a time reaches the queue, so the arrival order is the client order.
                var queued = i + 1;
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await sim.Stats.WaitUntilAsync(s => s.Decoders.Busy + s.Decoders.Waiting == queued, wait.Token);
                var index = i;
                results[i] = Task.Run(async () =>
                {
                    var text = await client.ReceiveAsync(TimeSpan.FromSeconds(10));
                    answered.Enqueue(index);
                    return text;
                });
            }

            for (var round = 1; round <= 4; round++)
            {
                Assert.Equal(8 - (2 * round), decoders.Waiting);
                time.Advance(TimeSpan.FromSeconds(0.5));
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                while (answered.Count < 2 * round)
                {
                    await Task.Delay(2, wait.Token);
                }

                Assert.Equal(Enumerable.Range(0, 2 * round), answered.Order());
                if (round < 4)
                {
                    await sim.Stats.WaitUntilAsync(s => s.Decoders.Busy == 2, wait.Token);
                }
            }

            for (var i = 0; i < 8; i++)
            {
                Assert.Contains(string.Join(' ', Watermark.BlockTokens(Bytes(Unmarked(1000, seed: i)))), await results[i]);
            }

            Assert.Equal(2, decoders.MaxBusy);
            Assert.Equal(6, decoders.MaxWaiting);
            Assert.Equal(TimeSpan.FromSeconds(4), decoders.TotalBusy);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 15_000)]
    public async Task Cpp2Pass_TwoStreamsOnOneDecoder_QueueFormsAndEveryStepIsCharged()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o =>
        {
            o.TimeProvider = TimeProvider.System;
            o.DecoderWorkers = 1;
            o.DecodeCostPerAudioSecond = TimeSpan.FromSeconds(0.1);
        });
        await using var a = await SimClient.ConnectAsync(sim.Url);
        await using var b = await SimClient.ConnectAsync(sim.Url);
        var audio = Bytes(Speech([new("alpha", 300), new("bravo", 300)]));

        await Task.WhenAll(Stream(a, "a"), Stream(b, "b"));
        var finals = await Task.WhenAll(a.ReceiveUntilFinalAsync(), b.ReceiveUntilFinalAsync());

        Assert.All(finals, f => Assert.Equal("alpha bravo.", string.Concat(Cpp2PassTests.Texts(f).Where(t => t.StartsWith("2pass-offline", StringComparison.Ordinal)).Select(t => t[(t.LastIndexOf(':') + 1)..]))));
        Assert.Equal(1, sim.Stats.Decoders.MaxBusy);
        Assert.True(sim.Stats.Decoders.MaxWaiting >= 1, $"max waiting {sim.Stats.Decoders.MaxWaiting}");
        var audioSeconds = 2.0 * (audio.Length / 2 * 2) / 32_000;
        Assert.InRange(sim.Stats.Decoders.TotalBusy.TotalSeconds, (0.1 * audioSeconds) - 0.001, (0.1 * audioSeconds) + 0.001);

        async Task Stream(SimClient client, string name)
        {
            await client.ConfigAsync(name);
            await client.SendAudioAsync(audio, frameBytes: 3200);
            await client.EosAsync();
        }
    }
}
