using System.Diagnostics;
using System.Net.Http.Json;
using Gateway.Load.Audio;
using Gateway.Load.Metrics;
using Gateway.Load.Report;
using Gateway.Load.Streams;

namespace Gateway.Load.Rooms;

/// <summary>
/// Meeting rooms under load (docs/rooms.md, docs/load-tool.md): R rooms created with <c>POST /v1/rooms</c>, V viewers
/// each on the captions WebSocket (connected first, so the gateway's memory per viewer is measured alone), then S
/// real-time speakers per room streaming watermarked speech with <c>?room=&amp;speaker=</c>. Every speaker final
/// must reach every viewer of its room once; the delay is the viewer's arrival minus the speaker's own.
/// </summary>
internal static class RoomLoad
{
    private const int OpenParallelism = 32;

    public static async Task<RoomReport> RunAsync(
        Uri gateway, int rooms, int speakers, int viewers, StreamSettings settings, SpeechFixture fixture, double upstreamProcessingMs,
        MetricsMonitor metrics, TimeSpan settle, CancellationToken token)
    {
        var names = Enumerable.Range(0, rooms).Select(r => $"load-{r}").ToList();
        using (var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) })
        {
            foreach (var name in names)
            {
                using var response = await http.PostAsJsonAsync("/v1/rooms", new { name, max_participants = speakers, max_viewers = Math.Max(1, viewers) }, token);
                // 409: the room exists already, e.g. created on every gateway of a fleet behind a load balancer
                // (scripts/fleet-demo.sh), so viewers landing on any gateway find it.
                if (response.StatusCode != System.Net.HttpStatusCode.Conflict)
                {
                    response.EnsureSuccessStatusCode();
                }
            }
        }

        await Task.Delay(settle, token);
        var before = await metrics.ScrapeAsync(token);
        var recorders = names.SelectMany(n => Enumerable.Range(0, viewers).Select(_ => new RoomViewerRecorder(n))).ToList();
        using (var gate = new SemaphoreSlim(OpenParallelism))
        {
            await Task.WhenAll(recorders.Select(async v =>
            {
                await gate.WaitAsync(token);
                try
                {
                    await v.ConnectAsync(gateway, token);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.Delay(settle, token);
        var after = await metrics.ScrapeAsync(token);

        await metrics.StartAsync(token);
        var streamUrl = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = "/v1/stream" }.Uri;
        var total = rooms * speakers;
        var runs = Enumerable.Range(0, total).Select(i =>
        {
            var url = new UriBuilder(streamUrl) { Query = $"room={names[i % rooms]}&speaker=S{i / rooms}" }.Uri;
            return Task.Run(() => new StreamRunner(url, fixture, settings).RunAsync(i, total, token), token);
        });
        var outcomes = await Task.WhenAll(runs);

        // The speakers' sessions are closed: every final is out. Give the viewers' sockets a moment to deliver.
        var expected = outcomes.Select((o, i) => (Room: names[i % rooms], Speaker: $"S{i / rooms}", Finals: o.Messages.Where(m => m.Type == "final").ToList())).ToList();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && recorders.Any(v => Seen(v) < expected.Where(e => e.Room == v.Room).Sum(e => e.Finals.Count)))
        {
            await Task.Delay(50, token);
        }

        var report = await metrics.StopAsync(token);
        await Task.WhenAll(recorders.Select(v => v.DisposeAsync().AsTask()));

        var latencies = new List<double>();
        long lost = 0, duplicated = 0, expectedViewerFinals = 0;
        foreach (var viewer in recorders)
        {
            foreach (var (room, speaker, finals) in expected.Where(e => e.Room == viewer.Room))
            {
                foreach (var final in finals)
                {
                    expectedViewerFinals++;
                    if (!viewer.Finals.TryGetValue((speaker, final.SegmentId ?? -1), out var arrivals))
                    {
                        lost++;
                        continue;
                    }

                    duplicated += arrivals.Count - 1;
                    latencies.Add((arrivals[0] - final.ReceivedAt) * 1000.0 / Stopwatch.Frequency);
                }
            }
        }

        var perRoom = outcomes.Select((o, i) => (Room: i % rooms, Analysis: StreamAnalysis.Of(o)))
            .GroupBy(x => x.Room)
            .Select(g => Percentiles.Of(g.SelectMany(x => x.Analysis.FirstPartialMs)))
            .Where(p => p.Count > 0)
            .ToList();
        var connected = recorders.Count(v => v.Failure is null || v.Messages > 0);
        double PerViewerKb(string name) => recorders.Count == 0 ? 0 : (after.Get(name) - before.Get(name)) / recorders.Count / 1000;
        return new RoomReport
        {
            Rooms = rooms,
            SpeakersPerRoom = speakers,
            ViewersPerRoom = viewers,
            ViewersConnected = connected,
            SpeakerFinals = expected.Sum(e => e.Finals.Count),
            ExpectedViewerFinals = expectedViewerFinals,
            LostViewerFinals = lost,
            DuplicatedViewerFinals = duplicated,
            DroppedViewers = report.RoomDroppedViewers,
            FinalToViewerMs = Percentiles.Of(latencies),
            WorkingSetPerViewerKb = PerViewerKb("gateway_process_working_set_bytes"),
            ManagedHeapPerViewerKb = PerViewerKb("gateway_process_managed_heap_bytes"),
            RoomFirstPartialP50Ms = Percentiles.Of(perRoom.Select(p => p.P50!.Value)),
            RoomFirstPartialP99Ms = Percentiles.Of(perRoom.Select(p => p.P99!.Value)),
            Speakers = StreamLoad.Summarise(outcomes, settings, upstreamProcessingMs, report),
            Gateway = report,
        };
    }

    private static int Seen(RoomViewerRecorder viewer)
    {
        lock (viewer.Finals)
        {
            return viewer.Finals.Count;
        }
    }
}
