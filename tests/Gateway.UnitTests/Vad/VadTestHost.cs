using Gateway.Core.Audio;
using Gateway.Core.Vad;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Vad;

internal static class VadTestHost
{
    public static VadScheduler Create(int maxBatch = 64, int workers = 1, bool gate = false, int maxWindowsPerTick = 1000, TimeProvider? time = null) =>
        new(
            Options.Create(new VadOptions
            {
                MaxBatch = maxBatch,
                Workers = workers,
                MaxWindowsPerStreamPerTick = maxWindowsPerTick,
                EnergyGate = new EnergyGateOptions { Enabled = gate },
            }),
            time ?? TimeProvider.System,
            NullLogger<VadScheduler>.Instance);

    /// <summary>Classifies a whole clip as one stream alone, one window per ONNX call.</summary>
    public static float[] ClassifyAlone(short[] audio, bool gate = false)
    {
        using var scheduler = Create(maxBatch: 1, gate: gate);
        var ring = new AudioRing(audio.Length);
        var sink = new RecordingSink();
        using var handle = scheduler.Register(ring, sink);
        ring.Write(audio);
        scheduler.RunOnce();
        return sink.Probabilities();
    }

    /// <summary>Feeds 20 ms frames and ticks after every <paramref name="framesPerTick"/> frames, then drains.</summary>
    public static void Stream(VadScheduler scheduler, AudioRing ring, short[] audio, int framesPerTick = 2)
    {
        const int Frame = 320;
        for (var offset = 0; offset < audio.Length; offset += Frame)
        {
            ring.Write(audio.AsSpan(offset, Math.Min(Frame, audio.Length - offset)));
            if ((offset / Frame) % framesPerTick == framesPerTick - 1)
            {
                scheduler.RunOnce();
            }
        }

        while (scheduler.RunOnce() > 0)
        {
        }
    }
}
