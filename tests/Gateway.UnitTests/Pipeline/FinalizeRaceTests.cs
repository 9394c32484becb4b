using Gateway.Core.Vad;

namespace Gateway.UnitTests.Pipeline;

public sealed class FinalizeRaceTests
{
    /// <summary>
    /// The VAD scheduler delivers a window to the sink and only then advances its own position. A finalize that
    /// woke on the window's signal and read the scheduler's position went back to sleep and nothing woke it again
    /// (unpaced audio: no more windows): the offline flavour's 10 s "graceful close did not finish". The classified
    /// position is now published by the pipeline before it signals.
    /// </summary>
    [Fact(Timeout = 10_000)]
    public async Task FinalizeAsync_WindowsDeliveredBeforeVadPublishesPosition_Completes()
    {
        await using var harness = new PipelineHarness();
        harness.Audio.Ring.Write(new short[2 * PipelineHarness.Window]);

        // The VAD delivers both windows; its own position would be published only after the sink returns.
        ((IVadSink)harness.Pipeline).OnWindow(0, 0f);
        ((IVadSink)harness.Pipeline).OnWindow(PipelineHarness.Window, 0f);

        await harness.Pipeline.FinalizeAsync(CancellationToken.None);
        Assert.Equal(2 * PipelineHarness.Window, harness.Audio.Classified);
    }
}
