using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Upstream;

namespace Gateway.Wave;

/// <summary>The naive way, as FunASR's own clients do it: a new ClientWebSocket per utterance, JsonDocument per reply.</summary>
internal static class NaiveWave
{
    public static async Task<WaveResult> RunAsync(WaveOptions o, Uri url, byte[][] audio)
    {
        await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(i => OneAsync(url, o.Flavour, audio[i % audio.Length], $"naive-warm-{i}")));
        var latencies = new List<double>();
        int failed = 0, timedOut = 0;
        var rounds = new double[o.Rounds];
        var cost = WaveCost.Start();
        var total = Stopwatch.StartNew();
        for (var round = 0; round < o.Rounds; round++)
        {
            var roundStart = Stopwatch.GetTimestamp();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, o.Concurrency).Select(i => OneAsync(url, o.Flavour, audio[i % audio.Length], $"naive-{round}-{i}")));
            rounds[round] = Stopwatch.GetElapsedTime(roundStart).TotalMilliseconds;
            foreach (var (ms, outcome) in outcomes)
            {
                if (outcome == Outcome.Ok)
                {
                    latencies.Add(ms);
                }
                else
                {
                    failed++;
                    timedOut += outcome == Outcome.TimedOut ? 1 : 0;
                }
            }
        }

        total.Stop();
        var spent = WaveCost.Stop(cost);
        return new WaveResult("naive (ClientWebSocket per utt.)", o.Concurrency * o.Rounds, total.Elapsed.TotalSeconds, [.. latencies], failed, timedOut, null, rounds, spent);
    }

    private enum Outcome
    {
        Ok,
        Failed,
        TimedOut,
    }

    private static async Task<(double Ms, Outcome Outcome)> OneAsync(Uri url, string flavour, byte[] pcm, string wavName)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ws = new ClientWebSocket();
#pragma warning disable CA5359 // Like FunASR's own clients (CERT_NONE): the self-signed certificate of a FunASR image.
        ws.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        try
        {
            await ws.ConnectAsync(url, timeout.Token);
            var config = $"{{\"mode\":\"2pass\",\"chunk_size\":[5,10,5],\"chunk_interval\":10,\"wav_name\":\"{wavName}\",\"wav_format\":\"pcm\",\"audio_fs\":16000,\"is_speaking\":true,\"itn\":true}}";
            await ws.SendAsync(Encoding.UTF8.GetBytes(config), WebSocketMessageType.Text, true, timeout.Token);
            var frame = PoolWave.FrameBytes(flavour);
            for (var offset = 0; offset < pcm.Length; offset += frame)
            {
                await ws.SendAsync(pcm.AsMemory(offset, Math.Min(frame, pcm.Length - offset)), WebSocketMessageType.Binary, true, timeout.Token);
            }

            var eos = flavour == FunAsrFlavours.Python ? "{\"is_speaking\":false,\"is_end\":true}" : "{\"is_speaking\":false}";
            await ws.SendAsync(Encoding.UTF8.GetBytes(eos), WebSocketMessageType.Text, true, timeout.Token);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
                    count += r.Count;
                }
                while (!r.EndOfMessage);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return (0, Outcome.Failed);
                }

                using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
                var root = doc.RootElement;
                var terminal = flavour switch
                {
                    FunAsrFlavours.Offline => true,
                    FunAsrFlavours.Python => root.TryGetProperty("is_end", out var e) && e.GetBoolean(),
                    _ => root.TryGetProperty("is_final", out var f) && f.GetBoolean(),
                };
                if (terminal)
                {
                    break;
                }
            }

            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, Outcome.Ok);
        }
        catch (OperationCanceledException)
        {
            return (0, Outcome.TimedOut);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or JsonException)
        {
            return (0, Outcome.Failed);
        }
    }
}
