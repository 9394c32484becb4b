using BenchmarkDotNet.Attributes;
using Gateway.Core.Segmentation;

namespace Gateway.Benchmarks.Vad;

/// <summary>
/// The segmenter's per-window cost on a realistic probability pattern (speech, pauses, silence), proving that
/// <see cref="Segmenter.OnWindow"/> allocates nothing outside segment events (the listener here records nothing).
/// Run: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- --filter '*SegmenterBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SegmenterBenchmarks
{
    private const int Windows = 10_000;
    private readonly float[] _probabilities = new float[Windows];
    private Segmenter _segmenter = null!;
    private long _position;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        for (var i = 0; i < Windows; i++)
        {
            // Runs of about 3 s of speech with short dips, then about 2 s of silence.
            var speech = i % 160 < 95;
            _probabilities[i] = speech ? (random.Next(10) == 0 ? 0.2f : 0.9f) : 0.02f;
        }

        _segmenter = new Segmenter(new SegmenterSettings(), new NullListener());
    }

    [Benchmark(OperationsPerInvoke = Windows)]
    public void OnWindow()
    {
        foreach (var p in _probabilities)
        {
            _segmenter.OnWindow(_position, p);
            _position += 512;
        }
    }

    private sealed class NullListener : ISegmentListener
    {
        public void OnSpeechStarted(SpeechStart start)
        {
        }

        public void OnSpeechEnded(SpeechSegment segment)
        {
        }
    }
}
