using System.Net.WebSockets;
using Gateway.Load.Metrics;
using Gateway.Load.Protocols;
using Gateway.Load.Resume;

namespace Gateway.Load.Idle;

/// <summary>
/// Opens N sessions that send <c>start</c> and one 20 ms frame of silence and then stay quiet, and reads the
/// gateway's memory from <c>/metrics</c> before and after: memory per idle session.
/// </summary>
internal static class IdleLoad
{
    private const int OpenParallelism = 32;

    /// <param name="detach">Then reset every connection (TCP RST, no resume) and measure the sessions detached (docs/protocol.md §10).</param>
    public static async Task<IdleReport> RunAsync(Uri streamUrl, int sessions, TimeSpan settle, MetricsMonitor metrics, CancellationToken token, bool detach = false)
    {
        await Task.Delay(settle, token);
        var before = await metrics.ScrapeAsync(token);
        var open = new IProtocolClient?[sessions];
        int refused = 0, failed = 0;
        using var gate = new SemaphoreSlim(OpenParallelism);
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
        {
            await gate.WaitAsync(token);
            try
            {
                IProtocolClient c = detach
                    ? await ResumingNativeClient.ConnectAsync(streamUrl, new ResumeStats(), token)
                    : await ProtocolClients.ConnectAsync(ProtocolClients.Native, streamUrl, token);
                var first = await c.StartAsync(500, token);
                if (first?.Type == "ready")
                {
                    await c.SendAudioAsync(new byte[640], token);
                    open[i] = c;
                }
                else
                {
                    Interlocked.Increment(ref first?.Type == "wait" ? ref refused : ref failed);
                    await c.DisposeAsync();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                gate.Release();
            }
        }));

        await Task.Delay(settle, token);
        var after = await metrics.ScrapeAsync(token);
        var opened = open.Count(c => c is not null);
        MetricsSample? detached = null;
        if (detach)
        {
            foreach (var c in open.OfType<ResumingNativeClient>())
            {
                c.Reset();
            }

            // The gateway notices each reset at once on loopback; wait for all of them (bounded), then let memory settle.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while ((await metrics.ScrapeAsync(token)).Get("gateway_sessions_detached") < opened && DateTime.UtcNow < until)
            {
                await Task.Delay(100, token);
            }

            await Task.Delay(settle, token);
            detached = await metrics.ScrapeAsync(token);
        }

        await Task.WhenAll(open.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask()));

        double PerSessionKb(string name) => opened == 0 ? 0 : (after.Get(name) - before.Get(name)) / opened / 1000;
        double PerDetachedKb(string name) => detached is null || opened == 0 ? 0 : (detached.Get(name) - before.Get(name)) / opened / 1000;
        return new IdleReport
        {
            DetachedSessions = detached?.Get("gateway_sessions_detached"),
            WorkingSetPerDetachedKb = PerDetachedKb("gateway_process_working_set_bytes"),
            ManagedHeapPerDetachedKb = PerDetachedKb("gateway_process_managed_heap_bytes"),
            Requested = sessions,
            Opened = opened,
            Refused = refused,
            Failed = failed,
            ActiveSessions = after.Get("gateway_admission_active"),
            WorkingSetBeforeMb = before.Get("gateway_process_working_set_bytes") / 1e6,
            WorkingSetAfterMb = after.Get("gateway_process_working_set_bytes") / 1e6,
            ManagedHeapBeforeMb = before.Get("gateway_process_managed_heap_bytes") / 1e6,
            ManagedHeapAfterMb = after.Get("gateway_process_managed_heap_bytes") / 1e6,
            WorkingSetPerSessionKb = PerSessionKb("gateway_process_working_set_bytes"),
            ManagedHeapPerSessionKb = PerSessionKb("gateway_process_managed_heap_bytes"),
            UpstreamConnects = after.Get("gateway_upstream_pool_connects_total") - before.Get("gateway_upstream_pool_connects_total"),
        };
    }
}
