using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.Load.Jobs;

/// <summary>
/// The per-file-connection approach the jobs API is compared with: each job opens its own WebSocket to the FunASR
/// server (the simulator; C++ 2pass protocol, protocols/funasr.md) and sends the whole file as one utterance,
/// unsegmented and unpaced in <c>chunkMs</c> frames (ffmpeg decodes the same file the gateway gets), then the EOS,
/// and reads <c>2pass-offline</c> sentences until the final. Audio done is the last sentence's <c>end_time</c>.
/// The sender stays at most <see cref="AheadSeconds"/> of audio ahead of the last sentence, as TCP backpressure
/// would hold it on a real server (the simulator queues whatever it is sent).
/// </summary>
internal static class PerFileConnectionLoad
{
    public const double AheadSeconds = 60;
    private const string Config = "{\"mode\":\"2pass\",\"chunk_size\":[5,10,5],\"chunk_interval\":10,\"wav_name\":\"job\",\"wav_format\":\"pcm\",\"audio_fs\":16000,\"is_speaking\":true,\"itn\":true}";

    public static async Task<JobReport> RunAsync(Uri server, string file, int jobs, double audioSeconds, int chunkMs, TimeSpan window, CancellationToken token)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var start = Stopwatch.GetTimestamp();
        var progress = Enumerable.Range(0, jobs).Select(i => new JobProgress($"file-{i + 1}", start, audioSeconds) { Status = "processing", RunningSince = start }).ToList();
        var runs = progress.Select(p => RunOneAsync(server, file, chunkMs, p, stop.Token)).ToArray();
        try
        {
            await Task.WhenAll(runs).WaitAsync(window, token);
        }
        catch (TimeoutException)
        {
            // the window closed first: unfinished files are reported with their rate
        }

        var end = Stopwatch.GetTimestamp();
        await stop.CancelAsync();
        await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var p in progress.Where(p => p.Status == "stopped"))
        {
            p.Status = "processing";
        }

        return JobReport.Of("per-file connection", progress, audioSeconds, start, end, gateway: null);
    }

    private static async Task RunOneAsync(Uri server, string file, int chunkMs, JobProgress job, CancellationToken token)
    {
        using var ws = new ClientWebSocket();
        using var progressed = new SemaphoreSlim(0);
        var decoder = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-f", "s16le", "-ac", "1", "-ar", "16000", "pipe:1"])
        {
            decoder.ArgumentList.Add(a);
        }

        Process? ffmpeg = null;
        try
        {
            await ws.ConnectAsync(server, token);
            await ws.SendAsync(Encoding.UTF8.GetBytes(Config), WebSocketMessageType.Text, true, token);
            var receive = ReceiveAsync(ws, job, progressed, token);
            ffmpeg = Process.Start(decoder) ?? throw new InvalidOperationException("ffmpeg could not be started");
            _ = ffmpeg.StandardError.ReadToEndAsync(token);
            var pcm = ffmpeg.StandardOutput.BaseStream;
            var frame = new byte[chunkMs * 32];
            double sent = 0;
            int read;
            while ((read = await pcm.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, token)) > 0)
            {
                while (sent - job.Done > AheadSeconds && !receive.IsCompleted)
                {
                    await progressed.WaitAsync(token);
                }

                await ws.SendAsync(frame.AsMemory(0, read), WebSocketMessageType.Binary, true, token);
                sent += read / 32_000.0;
            }

            job.AudioSeconds = sent;
            await ws.SendAsync("{\"is_speaking\":false}"u8.ToArray(), WebSocketMessageType.Text, true, token);
            await receive;
            (job.Done, job.Status, job.FinishedAt) = (sent, "done", Stopwatch.GetTimestamp());
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            job.Status = "stopped";
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or IOException)
        {
            (job.Status, job.Error, job.FinishedAt) = ("failed", ex.Message, Stopwatch.GetTimestamp());
        }
        finally
        {
            if (ffmpeg is not null)
            {
                if (!ffmpeg.HasExited)
                {
                    ffmpeg.Kill();
                }

                ffmpeg.Dispose();
            }
        }
    }

    /// <summary>Reads sentences until the utterance's final (<c>is_final</c> true after the EOS).</summary>
    private static async Task ReceiveAsync(ClientWebSocket ws, JobProgress job, SemaphoreSlim progressed, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            ValueWebSocketReceiveResult r;
            do
            {
                r = await ws.ReceiveAsync(buffer.AsMemory(), token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    throw new WebSocketException($"the server closed the connection ({ws.CloseStatus}) before the final");
                }

                message.Write(buffer, 0, r.Count);
            }
            while (!r.EndOfMessage);

            using var json = JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length));
            var root = json.RootElement;
            if (root.TryGetProperty("mode", out var mode) && mode.GetString() == "2pass-offline"
                && root.TryGetProperty("end_time", out var end) && end.ValueKind == JsonValueKind.Number)
            {
                job.Done = Math.Max(job.Done, end.GetDouble() / 1000);
                progressed.Release();
            }

            if (root.TryGetProperty("is_final", out var final) && final.ValueKind == JsonValueKind.True)
            {
                progressed.Release();
                return;
            }
        }
    }
}
