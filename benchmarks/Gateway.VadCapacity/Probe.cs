using System.Diagnostics;
using Gateway.Core.Audio;
using Gateway.Core.Vad;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.VadCapacity;

internal sealed record ProbeResult(int Streams, double LagP50, double LagP99, double LagMax, double WindowsPerSecond, double ExpectedWindowsPerSecond, double CpuPercent, long Overflow)
{
    /// <summary>
    /// Streams the measured CPU cost per stream would allow with every core fully available to this process:
    /// a projection for a shared machine where the process gets only a share of the cores.
    /// </summary>
    public double StreamsAtFullCpu => CpuPercent > 0 ? Streams * 100 / CpuPercent : double.NaN;

    /// <summary>Sustained: lag p99 under the target, every window classified in time, no audio dropped.</summary>
    public bool Sustained(double lagTargetMs) =>
        LagP99 < lagTargetMs && WindowsPerSecond >= ExpectedWindowsPerSecond * 0.97 && Overflow == 0;
}

/// <summary>One load level: N real-time streams fed in 20 ms frames into rings, with the scheduler on its own tick.</summary>
internal static class Probe
{
    private const int Frame = 320; // 20 ms
    private const int Window = 512; // one Silero window

    public static ProbeResult Run(VadOptions options, short[] pattern, int streams, TimeSpan warmup, TimeSpan measure, LagRecorder lag)
    {
        using var scheduler = new VadScheduler(Options.Create(options), TimeProvider.System, NullLogger<VadScheduler>.Instance);
        scheduler.Start();
        var sink = new NullSink();
        var rings = new AudioRing[streams];
        var handles = new VadStreamHandle[streams];
        var offsets = new int[streams];
        for (var i = 0; i < streams; i++)
        {
            rings[i] = new AudioRing(4 * StreamPattern.SampleRate);
            handles[i] = scheduler.Register(rings[i], sink);
            // Staggered so that, with the gate, a steady share of streams is talking at any moment.
            offsets[i] = (int)((long)i * StreamPattern.Length / streams) / Frame * Frame;
        }

        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var measureStart = warmup;
        var end = warmup + measure;
        var started = false;
        TimeSpan cpuAtStart = default;
        long windowsAtStart = 0;
        var frame = new short[Frame];
        while (clock.Elapsed < end)
        {
            // Real-time pacing: every stream has received exactly elapsed x 16 kHz, rounded down to frames.
            var due = (long)(clock.Elapsed.TotalSeconds * StreamPattern.SampleRate) / Frame * Frame;
            for (var i = 0; i < streams; i++)
            {
                var ring = rings[i];
                while (ring.WritePosition + ring.OverflowSamples < due)
                {
                    var at = (int)((offsets[i] + ring.WritePosition + ring.OverflowSamples) % StreamPattern.Length);
                    pattern.AsSpan(at, Frame).CopyTo(frame);
                    ring.Write(frame);
                }

                // Stand-in for the session: keep 0.5 s behind what the VAD has classified.
                var keep = handles[i].ClassifiedPosition - 8_000;
                if (keep > ring.ReleasedPosition)
                {
                    ring.Release(keep);
                }
            }

            if (!started && clock.Elapsed >= measureStart)
            {
                started = true;
                process.Refresh();
                cpuAtStart = process.TotalProcessorTime;
                windowsAtStart = Classified(handles);
                lag.Begin();
            }

            Thread.Sleep(5);
        }

        lag.End();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuAtStart).TotalSeconds / measure.TotalSeconds / Environment.ProcessorCount * 100;
        var windows = (Classified(handles) - windowsAtStart) / measure.TotalSeconds;
        var overflow = rings.Sum(r => r.OverflowSamples);
        foreach (var handle in handles)
        {
            handle.Dispose();
        }

        return new ProbeResult(streams, lag.Quantile(0.5), lag.Quantile(0.99), lag.Quantile(1), windows,
            streams * (double)StreamPattern.SampleRate / Window, cpu, overflow);
    }

    private static long Classified(VadStreamHandle[] handles)
    {
        long total = 0;
        foreach (var handle in handles)
        {
            total += handle.ClassifiedPosition / Window;
        }

        return total;
    }

    private sealed class NullSink : IVadSink
    {
        public void OnWindow(long windowStart, float probability)
        {
        }
    }
}
