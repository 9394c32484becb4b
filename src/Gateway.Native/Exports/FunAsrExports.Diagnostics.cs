using System.Runtime.InteropServices;
using Gateway.Native.Clients;
using Gateway.Native.Errors;
using Gateway.Native.Interop;
using Gateway.Upstream.Diagnostics;

namespace Gateway.Native.Exports;

internal static unsafe partial class FunAsrExports
{
    /// <summary><c>int funasr_warmup(const char* ws_url, uint32_t target_idle)</c>: the connections newly warmed by this call, or -1.</summary>
    /// <remarks>The URL's pool keeps at least <paramref name="targetIdle"/> idle from now on (capped at pool.max_connections).</remarks>
    [UnmanagedCallersOnly(EntryPoint = "funasr_warmup")]
    public static int Warmup(byte* wsUrl, uint targetIdle)
    {
        try
        {
            if (NativeStrings.Read(wsUrl) is not { } url)
            {
                return FailInt(FunAsrStatus.NullArgument);
            }

            var status = ClientRegistry.Acquire().TryGet(url, out var pool);
            if (status != FunAsrStatus.Ok)
            {
                return FailInt(status);
            }

            var wanted = (int)Math.Min(targetIdle, (uint)pool!.Settings.MaxConnections);
            var before = pool.Client.Endpoints[0].Idle;
            pool.Client.WarmUpAsync(wanted).GetAwaiter().GetResult();
            var idle = pool.Client.Endpoints[0].Idle;
            // The pool logs why it stopped; the C caller learns that it did.
            LastError.Set(idle < wanted ? FunAsrStatus.ConnectFailed : FunAsrStatus.Ok);
            return Math.Max(0, idle - before);
        }
        catch (Exception)
        {
            return FailInt(FunAsrStatus.Internal);
        }
    }

    /// <summary><c>void funasr_get_metrics(funasr_metrics_t* out_metrics)</c>: counters since init (zeros before it).</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_get_metrics")]
    public static void GetMetrics(FunAsrMetrics* outMetrics)
    {
        try
        {
            if (outMetrics == null)
            {
                LastError.Set(FunAsrStatus.NullArgument);
                return;
            }

            *outMetrics = default;
            LastError.Set(FunAsrStatus.Ok);
            if (ClientRegistry.Current is not { } registry)
            {
                return;
            }

            var c = registry.Counters;
            outMetrics->TotalRequests = (ulong)c.Requests;
            outMetrics->TotalSuccess = (ulong)c.Succeeded;
            outMetrics->TotalFail = (ulong)c.Failed;
            outMetrics->TotalTimeout = (ulong)c.TimedOut;
            foreach (var client in registry.Clients)
            {
                var s = client.GetStatistics();
                outMetrics->PoolReuseHits += (ulong)s.ReuseHits;
                outMetrics->PoolNewConnects += (ulong)s.NewConnections;
            }

            LastError.Set(FunAsrStatus.Ok);
        }
        catch (Exception)
        {
            LastError.Set(FunAsrStatus.Internal);
        }
    }

    /// <summary><c>void funasr_get_profile(funasr_profile_t* out_profile)</c>: calls and cumulative µs per phase since init, over every URL.</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_get_profile")]
    public static void GetProfile(FunAsrProfile* outProfile)
    {
        try
        {
            if (outProfile == null)
            {
                LastError.Set(FunAsrStatus.NullArgument);
                return;
            }

            *outProfile = default;
            LastError.Set(FunAsrStatus.Ok);
            if (ClientRegistry.Current is not { } registry)
            {
                return;
            }

            var phases = PhaseTotals.Of(registry.Clients.Select(c => c.GetStatistics()));
            outProfile->Calls = (ulong)registry.Counters.Requests;
            outProfile->UsTotal = (ulong)registry.Counters.TotalMicroseconds;
            outProfile->UsPoolAcquire = phases.Total(UpstreamPhase.Acquire);
            outProfile->UsConnect = phases.Total(UpstreamPhase.Connect);
            outProfile->UsSendConfig = phases.Total(UpstreamPhase.SendConfig);
            outProfile->UsSendAudio = phases.Total(UpstreamPhase.SendAudio);
            outProfile->UsSendEos = phases.Total(UpstreamPhase.SendEnd);
            outProfile->UsRecvFrame = phases.Total(UpstreamPhase.Final);
            outProfile->UsJsonParse = phases.Total(UpstreamPhase.Parse);
        }
        catch (Exception)
        {
            LastError.Set(FunAsrStatus.Internal);
        }
    }

    /// <summary>
    /// <c>uint64_t funasr_allocated_bytes(void)</c>, beyond the DLL's API: managed heap bytes this library allocated
    /// since it was loaded, for benchmarks (GC.GetTotalAllocatedBytes, all threads).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_allocated_bytes")]
    public static ulong AllocatedBytes() => (ulong)GC.GetTotalAllocatedBytes(precise: true);

    /// <summary><c>uint64_t funasr_live_strings(void)</c>, beyond the DLL's API: strings returned and not yet freed, for leak checks.</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_live_strings")]
    public static ulong LiveStrings() => (ulong)ResultStrings.LiveCount;
}
