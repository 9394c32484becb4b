using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Gateway.Load.Audio;
using Gateway.Load.Metrics;
using Gateway.Load.Protocols;
using Gateway.Load.Report;

namespace Gateway.Load.Wave;

/// <summary>
/// C concurrent sessions × R rounds; each session connects, starts, sends one utterance unpaced, sends
/// <c>close</c> and waits for its final and the close. Latency is connect → last final.
/// </summary>
internal static class WaveLoad
{
    private const int FrameBytes = 3200;

    public static async Task<WaveReport> RunAsync(
        Uri streamUrl, int concurrency, int rounds, int endpointSilenceMs, SpeechFixture fixture, MetricsMonitor metrics, CancellationToken token)
    {
        var factories = Enumerable.Range(0, concurrency).Select(i => new UtteranceFactory(fixture, 1, 0, i)).ToArray();
        await metrics.StartAsync(token);
        var latencies = new List<double>();
        var failures = new List<string>();
        int expected = 0, lost = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            var results = await Task.WhenAll(factories.Select(f => OneAsync(streamUrl, f.Next(withGap: false), endpointSilenceMs, token)));
            foreach (var r in results)
            {
                expected += r.Expected;
                lost += r.Lost;
                if (r.Failure is null)
                {
                    latencies.Add(r.LatencyMs);
                }
                else
                {
                    failures.Add(r.Failure);
                }
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var gateway = await metrics.StopAsync(token);
        var sessions = concurrency * rounds;
        var leases = gateway.UpstreamReuse + gateway.UpstreamConnects;
        return new WaveReport
        {
            Concurrency = concurrency,
            Rounds = rounds,
            Sessions = sessions,
            Seconds = seconds,
            Qps = sessions / seconds,
            LatencyMs = Percentiles.Of(latencies),
            Failed = failures.Count,
            FailPercent = 100.0 * failures.Count / sessions,
            WordsExpected = expected,
            WordsLost = lost,
            UpstreamConnects = gateway.UpstreamConnects,
            UpstreamReuse = gateway.UpstreamReuse,
            ReusePercent = leases == 0 ? 0 : 100 * gateway.UpstreamReuse / leases,
            FailureSamples = failures.Distinct().Take(5).ToList(),
            Gateway = gateway,
        };
    }

    private sealed record Outcome(double LatencyMs, int Expected, int Lost, string? Failure);

    private static async Task<Outcome> OneAsync(Uri url, Utterance utterance, int endpointSilenceMs, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var expected = utterance.Tokens.Count;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await using var c = await ProtocolClients.ConnectAsync(ProtocolClients.Native, url, timeout.Token);
            var first = await c.StartAsync(endpointSilenceMs, timeout.Token);
            if (first?.Type != "ready")
            {
                return new Outcome(0, expected, expected, $"no ready: {first?.Type ?? "closed"} {first?.Code}");
            }

            var receiving = Task.Run(async () =>
            {
                var messages = new List<ServerMessage>();
                while (await c.ReceiveAsync(timeout.Token) is { } m)
                {
                    messages.Add(m);
                }

                return messages;
            }, timeout.Token);
            var bytes = MemoryMarshal.AsBytes(utterance.Samples.AsSpan()).ToArray();
            for (var offset = 0; offset < bytes.Length; offset += FrameBytes)
            {
                await c.SendAudioAsync(bytes.AsMemory(offset, Math.Min(FrameBytes, bytes.Length - offset)), timeout.Token);
            }

            await c.SendEndAsync(timeout.Token);
            var received = await receiving;
            var finals = received.Where(m => m.Type == "final").ToList();
            var words = finals.SelectMany(f => f.Words()).ToList();
            var lost = utterance.Tokens.Count(t => !words.Contains(t));
            var error = received.FirstOrDefault(m => m.Type == "error");
            var failure = error is not null ? $"error {error.Code}"
                : c.CloseStatus != WebSocketCloseStatus.NormalClosure ? $"close {c.CloseStatus}"
                : !words.SequenceEqual(utterance.Tokens) ? $"words {string.Join(' ', words)} != {string.Join(' ', utterance.Tokens)}"
                : null;
            var end = finals.Count > 0 ? finals[^1].ReceivedAt : Stopwatch.GetTimestamp();
            return new Outcome(Stopwatch.GetElapsedTime(started, end).TotalMilliseconds, expected, lost, failure);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            return new Outcome(0, expected, expected, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
