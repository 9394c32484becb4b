using Gateway.Core.Vad;

namespace Gateway.UnitTests.Vad;

internal sealed class RecordingSink : IVadSink
{
    private readonly Lock _sync = new();

    public List<(long Start, float Probability)> Windows { get; } = [];

    public void OnWindow(long windowStart, float probability)
    {
        lock (_sync)
        {
            Windows.Add((windowStart, probability));
        }
    }

    public float[] Probabilities()
    {
        lock (_sync)
        {
            return [.. Windows.Select(w => w.Probability)];
        }
    }
}
