using System.Runtime.InteropServices;

namespace Gateway.Native.Interop;

/// <summary><c>funasr_metrics_t</c>: counters since <c>funasr_init</c>. Layout is ABI.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FunAsrMetrics
{
    public ulong TotalRequests;
    public ulong TotalSuccess;
    public ulong TotalFail;
    public ulong TotalTimeout;
    public ulong PoolReuseHits;
    public ulong PoolNewConnects;
}
