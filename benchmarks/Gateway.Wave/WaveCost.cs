using System.Diagnostics;

namespace Gateway.Wave;

/// <summary>Process CPU time and managed allocations between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal readonly record struct WaveCost(double CpuMicroseconds, long AllocatedBytes)
{
    public static (TimeSpan Cpu, long Bytes) Start() => (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));

    public static WaveCost Stop((TimeSpan Cpu, long Bytes) start) =>
        new((Process.GetCurrentProcess().TotalProcessorTime - start.Cpu).TotalMicroseconds, GC.GetTotalAllocatedBytes(precise: true) - start.Bytes);
}
