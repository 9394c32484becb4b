using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Load.Audio;
using Gateway.Load.Metrics;
using Gateway.Load.Report;
using Gateway.Load.Rooms;
using NAudio.Wave;

namespace Gateway.Load.Ingest;

/// <summary>
/// Server-side ingests under load (docs/ingest.md, docs/load-tool.md): N concurrent <c>POST /v1/ingests</c> of loopback
/// sources, a share of them one live HLS channel (<see cref="HlsOrigin"/>), the rest live WAV streams over HTTP, each
/// into its own room with one viewer on the captions WebSocket. Once all run and settled, a window of
/// <c>duration</c> seconds measures the gateway's CPU (its metrics) and its ffmpeg children's (<c>/proc</c>) apart,
/// memory per ingest, each final's delay behind the moment its last word was spoken at the source, and restarts.
/// </summary>
internal static class IngestLoad
{
    public static async Task<IngestReport> RunAsync(
        Uri gateway, int ingests, double hlsShare, TimeSpan window, TimeSpan settle, double talkRatio, int endpointSilenceMs, SpeechFixture fixture,
        string? cliDll, MetricsMonitor metrics, TextWriter log, CancellationToken token)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-load-ingest-").FullName;
        try
        {
            // Long enough for the joining, the settling, the window and the stop; words are never repeated.
            var program = IngestProgram.Build(fixture, window + settle + TimeSpan.FromSeconds(90), talkRatio, endpointSilenceMs);
            var wav = Path.Combine(folder, "program.wav");
            await using (var writer = new WaveFileWriter(wav, new WaveFormat(16_000, 16, 1)))
            {
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(program.Samples.AsSpan()));
            }

            var hlsFolder = Directory.CreateDirectory(Path.Combine(folder, "hls")).FullName;
            await using var sources = new LoopbackSourceServer(program.Samples, hlsFolder);
            var hls = (int)Math.Round(ingests * hlsShare);
            await using var origin = hls > 0 ? await HlsOrigin.StartAsync(wav, hlsFolder, token) : null;
            using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
            await using var cli = cliDll is null ? null : new CliStreams(cliDll);
            var before = await metrics.ScrapeAsync(token);

            var ids = new List<string>();
            var viewers = new RoomViewerRecorder[ingests];
            for (var n = 0; n < ingests; n++)
            {
                // The room first, so its viewer follows it from the start.
                var room = $"ingest-load-{n}";
                using (var created = await http.PostAsJsonAsync("/v1/rooms", new { name = room }, token))
                {
                    created.EnsureSuccessStatusCode();
                }

                viewers[n] = new RoomViewerRecorder(room);
                await viewers[n].ConnectAsync(gateway, token);
                var url = n < hls ? sources.HlsUrl : sources.LiveUrl(n);
                if (cli is not null)
                {
                    cli.Start(gateway, url, room);
                    continue;
                }

                using var response = await http.PostAsJsonAsync("/v1/ingests", new { url = url.ToString(), room, speaker = "source" }, token);
                var body = await response.Content.ReadAsStringAsync(token);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /v1/ingests for source {n} answered {(int)response.StatusCode}: {body}");
                }

                ids.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
            }

            var what = cli is null ? "ingests posted" : "gateway-cli stream processes started";
            await log.WriteLineAsync($"{ingests} {what} ({hls} HLS from one live channel, {ingests - hls} live WAV over HTTP); waiting for all to run ...");
            var clock = Stopwatch.StartNew();
            while (await RunningAsync(http, cli is null, token) < ingests)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(90))
                {
                    throw new TimeoutException($"only {await RunningAsync(http, cli is null, token)} of {ingests} sources were running after 90 s");
                }

                await Task.Delay(250, token);
            }

            await Task.Delay(settle, token);
            await log.WriteLineAsync($"all running after {clock.Elapsed.TotalSeconds:0.0} s (+ {settle.TotalSeconds:0} s settle); measuring {window.TotalSeconds:0} s ...");
            await using var ffmpeg = new FfmpegCpuSampler(sources.Port);
            var originCpuBefore = origin is null ? 0 : FfmpegCpuSampler.CpuSeconds(origin.ProcessId);
            var windowStart = Stopwatch.GetTimestamp();
            var clientCpuBefore = cli?.CpuSeconds() ?? 0;
            ffmpeg.Start();
            await metrics.StartAsync(token);
            await Task.Delay(window, token);
            var gatewayReport = await metrics.StopAsync(token);
            var ffmpegCpu = await ffmpeg.StopAsync();
            var windowEnd = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
            var originCpu = origin is null ? 0 : FfmpegCpuSampler.CpuSeconds(origin.ProcessId) - originCpuBefore;
            var clientCpu = (cli?.CpuSeconds() ?? 0) - clientCpuBefore;
            var (processes, residentMb, proportionalMb) = ffmpeg.Memory();
            var (clients, clientResidentMb, clientProportionalMb) = cli is null ? (0, 0, 0) : FfmpegCpuSampler.MemoryOf(cli.ProcessIds);
            var after = await metrics.ScrapeAsync(token);
            var states = cli is null ? await ListAsync(http, token) : [];
            var running = cli is null ? states.Count(i => i.State == "running") : await RunningAsync(http, false, token);

            var hlsLatency = new List<double>();
            var wavLatency = new List<double>();
            long captioned = 0, missed = 0;
            for (var n = 0; n < ingests; n++)
            {
                var sourceStart = n < hls ? origin!.StartedAt : sources.StartedAt(n);
                var seen = new SortedSet<int>();
                List<(long At, string Text)> finals;
                lock (viewers[n].Finals)
                {
                    finals = [.. viewers[n].FinalTexts];
                }

                foreach (var (at, text) in finals.Where(f => f.At >= windowStart && f.At <= windowEnd))
                {
                    var lastEnd = -1;
                    foreach (var token2 in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (program.TryFind(token2, out var index, out var end))
                        {
                            seen.Add(index);
                            lastEnd = Math.Max(lastEnd, end);
                        }
                    }

                    if (lastEnd >= 0 && sourceStart is { } start)
                    {
                        var spokenAt = start + (long)(lastEnd / 16_000.0 * Stopwatch.Frequency);
                        (n < hls ? hlsLatency : wavLatency).Add((at - spokenAt) * 1000.0 / Stopwatch.Frequency);
                    }
                }

                captioned += seen.Count;
                if (seen.Count > 0)
                {
                    missed += seen.Max - seen.Min + 1 - seen.Count;
                }
            }

            foreach (var id in ids)
            {
                using var stopped = await http.DeleteAsync($"/v1/ingests/{id}", token);
            }

            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }

            double Mb(MetricsSample s, string name) => s.Get(name) / 1e6;
            return new IngestReport
            {
                Mode = cli is null ? "server-side ingests (POST /v1/ingests)" : "one gateway-cli stream process per source (the alternative)",
                Ingests = ingests,
                HlsIngests = hls,
                LiveWavIngests = ingests - hls,
                WindowSeconds = seconds,
                Running = running,
                FfmpegRestarts = cli is null ? states.Sum(i => i.Restarts) : cli.Exited,
                ClientProcesses = clients,
                ClientCpuCores = clientCpu / seconds,
                ClientCpuPerIngestPercentOfCore = 100 * clientCpu / seconds / ingests,
                ClientResidentPerIngestMb = clients == 0 ? 0 : clientResidentMb / clients,
                ClientProportionalPerIngestMb = clients == 0 ? 0 : clientProportionalMb / clients,
                GatewayCpuCores = gatewayReport.CpuCoresUsed,
                GatewayCpuPerIngestPercentOfCore = 100 * gatewayReport.CpuCoresUsed / ingests,
                FfmpegCpuCores = ffmpegCpu / seconds,
                FfmpegCpuPerIngestPercentOfCore = 100 * ffmpegCpu / seconds / ingests,
                OriginCpuCores = originCpu / seconds,
                GatewayWorkingSetBeforeMb = Mb(before, "gateway_process_working_set_bytes"),
                GatewayWorkingSetAfterMb = Mb(after, "gateway_process_working_set_bytes"),
                GatewayWorkingSetPerIngestMb = (Mb(after, "gateway_process_working_set_bytes") - Mb(before, "gateway_process_working_set_bytes")) / ingests,
                GatewayManagedHeapPerIngestMb = (Mb(after, "gateway_process_managed_heap_bytes") - Mb(before, "gateway_process_managed_heap_bytes")) / ingests,
                FfmpegProcesses = processes,
                FfmpegResidentPerIngestMb = processes == 0 ? 0 : residentMb / processes,
                FfmpegProportionalPerIngestMb = processes == 0 ? 0 : proportionalMb / processes,
                HlsCaptionLatencyMs = Percentiles.Of(hlsLatency),
                LiveWavCaptionLatencyMs = Percentiles.Of(wavLatency),
                WordsCaptioned = captioned,
                WordsMissed = missed,
                IngestLagMs = Percentiles.Of(states.Select(i => i.LagMs)),
                Gateway = gatewayReport,
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Ingests in state running, or (for the CLI) rooms with their participant.</summary>
    private static async Task<int> RunningAsync(HttpClient http, bool ingests, CancellationToken token)
    {
        if (ingests)
        {
            return (await ListAsync(http, token)).Count(i => i.State == "running");
        }

        using var doc = JsonDocument.Parse(await http.GetStringAsync("/v1/rooms", token));
        return doc.RootElement.GetProperty("rooms").EnumerateArray()
            .Count(r => r.GetProperty("name").GetString()!.StartsWith("ingest-load-", StringComparison.Ordinal) && Participants(r.GetProperty("participants")) > 0);
    }

    private static int Participants(JsonElement value) => value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : value.GetInt32();

    private static async Task<List<(string State, int Restarts, double LagMs)>> ListAsync(HttpClient http, CancellationToken token)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/v1/ingests", token));
        return [.. doc.RootElement.GetProperty("ingests").EnumerateArray()
            .Select(i => (i.GetProperty("state").GetString()!, i.GetProperty("restarts").GetInt32(), i.GetProperty("lag_ms").GetDouble()))];
    }
}
