using FunAsr.Simulator;

namespace Gateway.Upstream.Tests.Pooling;

/// <summary>Helpers shared by the tests that drive the pool against the FunASR simulator.</summary>
internal static class SimulatorFixture
{
    public static Task<SimulatorHost> StartAsync(SimulatorFlavour flavour = SimulatorFlavour.Cpp2Pass, bool tls = false) =>
        FunAsrSimulator.StartAsync(new SimulatorOptions
        {
            Flavour = flavour,
            Tls = tls,
            StepLatency = TimeSpan.Zero,
            FinalLatency = TimeSpan.FromMilliseconds(1),
        });

    public static string FlavourName(SimulatorFlavour flavour) => flavour switch
    {
        SimulatorFlavour.CppOffline => FunAsrFlavours.Offline,
        SimulatorFlavour.Python => FunAsrFlavours.Python,
        _ => FunAsrFlavours.TwoPass,
    };

    public static UpstreamOptions Options(SimulatorHost sim, Action<UpstreamEndpointOptions>? endpoint = null, Action<UpstreamOptions>? pool = null)
    {
        var options = new UpstreamOptions { FinalTimeout = TimeSpan.FromSeconds(5), AcquireTimeout = TimeSpan.FromSeconds(5) };
        var e = new UpstreamEndpointOptions { Url = sim.Url.ToString(), Flavour = FlavourName(sim.Flavour), MaxConnections = 4 };
        endpoint?.Invoke(e);
        options.Endpoints.Add(e);
        pool?.Invoke(options);
        return options;
    }

    /// <summary>Random PCM (no watermark): the simulator answers one token per whole second.</summary>
    public static byte[] Audio(int seconds, int seed)
    {
        var pcm = new byte[seconds * 32_000];
        new Random(seed).NextBytes(pcm);
        return pcm;
    }

    /// <summary>Streams <paramref name="pcm"/> in frames, finishes, and collects the whole result stream.</summary>
    public static async Task<List<UpstreamResult>> RunAsync(UpstreamUtterance utterance, byte[] pcm, int frameBytes)
    {
        var reader = Task.Run(async () =>
        {
            var results = new List<UpstreamResult>();
            await foreach (var r in utterance.ReadAllAsync())
            {
                results.Add(r);
            }

            return results;
        });
        var offset = 0;
        for (; offset + frameBytes < pcm.Length; offset += frameBytes)
        {
            if (await utterance.PushAudioAsync(pcm.AsMemory(offset, frameBytes)) != UpstreamError.None)
            {
                break;
            }
        }

        await utterance.FinishAsync(pcm.AsMemory(Math.Min(offset, pcm.Length)));
        return await reader;
    }

    public static int FrameBytes(SimulatorFlavour flavour) => flavour == SimulatorFlavour.Python ? 1920 : 3200;
}
