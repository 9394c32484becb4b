using System.Diagnostics;
using Gateway.Upstream;

namespace Gateway.Wave;

/// <summary>The waves through our pool: one long-lived connection per concurrent utterance, reused every round.</summary>
internal static class PoolWave
{
    public static async Task<(WaveResult Result, Gateway.Upstream.Diagnostics.UpstreamStatistics Stats)> RunAsync(WaveOptions o, Uri url, byte[][] audio)
    {
        var options = new UpstreamOptions { AcquireTimeout = TimeSpan.FromSeconds(30), FinalTimeout = TimeSpan.FromSeconds(30) };
        var endpoint = new UpstreamEndpointOptions { Url = url.ToString(), Flavour = o.Flavour, MaxConnections = o.Concurrency, MinIdle = o.Concurrency };
        endpoint.Tls.AcceptAnyCertificate = true;
        options.Endpoints.Add(endpoint);
        await using var client = new UpstreamClient(options);
        await client.WarmUpAsync();
        // One untimed round so JIT and the simulator's first-use costs are not counted (the naive way gets the same).
        await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(i => OneAsync(client, audio[i % audio.Length], FrameBytes(o.Flavour))));
        var before = client.GetStatistics();

        var latencies = new List<double>();
        int failed = 0, timedOut = 0;
        var rounds = new double[o.Rounds];
        var cost = WaveCost.Start();
        var total = Stopwatch.StartNew();
        for (var round = 0; round < o.Rounds; round++)
        {
            var roundStart = Stopwatch.GetTimestamp();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(i => OneAsync(client, audio[i % audio.Length], FrameBytes(o.Flavour))));
            rounds[round] = Stopwatch.GetElapsedTime(roundStart).TotalMilliseconds;
            foreach (var (ms, error) in outcomes)
            {
                if (error == UpstreamError.None)
                {
                    latencies.Add(ms);
                }
                else
                {
                    failed++;
                    timedOut += error is UpstreamError.ResultTimeout or UpstreamError.QueueTimeout or UpstreamError.ConnectTimedOut ? 1 : 0;
                }
            }
        }

        total.Stop();
        var spent = WaveCost.Stop(cost);
        var after = client.GetStatistics();
        var reuse = after.ReuseHits - before.ReuseHits;
        var connects = after.NewConnections - before.NewConnections;
        var rate = reuse + connects == 0 ? 0 : (double)reuse / (reuse + connects);
        return (new WaveResult("pool (Gateway.Upstream)", o.Concurrency * o.Rounds, total.Elapsed.TotalSeconds, [.. latencies], failed, timedOut, rate, rounds, spent), after);
    }

    public static int FrameBytes(string flavour) => flavour == FunAsrFlavours.Python ? 1920 : 3200;

    private static async Task<(double Ms, UpstreamError Error)> OneAsync(UpstreamClient client, byte[] pcm, int frameBytes)
    {
        var started = Stopwatch.GetTimestamp();
        var start = await client.StartUtteranceAsync();
        if (!start.Succeeded)
        {
            return (0, start.Error);
        }

        await using var utterance = start.Utterance;
        var reader = Task.Run(async () =>
        {
            UpstreamResult last = default;
            await foreach (var r in utterance.ReadAllAsync())
            {
                last = r;
            }

            return last;
        });
        var offset = 0;
        for (; offset + frameBytes < pcm.Length; offset += frameBytes)
        {
            if (await utterance.PushAudioAsync(pcm.AsMemory(offset, frameBytes)) != UpstreamError.None)
            {
                break;
            }
        }

        await utterance.FinishAsync(pcm.AsMemory(offset));
        var terminal = await reader;
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, terminal.Error);
    }
}
