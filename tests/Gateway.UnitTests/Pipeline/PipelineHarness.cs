using System.Collections.Concurrent;
using Gateway.Core.Audio;
using Gateway.Core.Diagnostics;
using Gateway.Core.Dispatch;
using Gateway.Core.Pipeline;
using Gateway.Core.Results;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;
using Gateway.Core.Vad;
using Gateway.UnitTests.Dispatch;
using Gateway.UnitTests.Vad;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Pipeline;

/// <summary>
/// One session's pipeline with a fake upstream and a fake clock. The test plays the VAD: it writes audio and
/// delivers windows with the probabilities it chooses (<see cref="Speak"/>, <see cref="Silence"/>), exactly as the
/// scheduler's worker would (the scheduler itself is registered but never ticks).
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public const int Window = 512;

    private readonly VadScheduler _scheduler = VadTestHost.Create();
    private readonly TestMeters _meters = new();
    private readonly short[] _window = new short[Window];
    private long _position;

    public PipelineHarness(DispatchOptions? options = null, FakeUpstream? upstream = null, DispatchServices? shared = null, SegmenterOptions? segmenter = null)
    {
        Upstream = upstream ?? new FakeUpstream();
        Services = shared ?? new DispatchServices(Upstream, new PriorityGate(), options ?? new DispatchOptions(), Time, new GatewayMetrics(_meters), NullLogger.Instance);
        Audio = new SessionAudio(16_000 * 2);
        var context = new SessionContext("s-test", StreamSettings.Default, Audio, e =>
        {
            Events.Enqueue(e);
            return true;
        });
        Pipeline = new SpeechPipeline(context, SegmenterSettings.FromOptions(segmenter ?? new SegmenterOptions()), _scheduler, Services);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public FakeUpstream Upstream { get; }

    public DispatchServices Services { get; }

    public SessionAudio Audio { get; }

    public SpeechPipeline Pipeline { get; }

    public ConcurrentQueue<ServerEvent> Events { get; } = new();

    public IEnumerable<T> Of<T>() => Events.OfType<T>();

    /// <summary>Windows of speech (probability 0.9), as the VAD would deliver them, 32 ms of fake time each.</summary>
    public void Speak(int windows) => Deliver(windows, 0.9f);

    /// <summary>Windows of silence (probability 0).</summary>
    public void Silence(int windows) => Deliver(windows, 0f);

    /// <summary>
    /// Waits (real time, bounded) until the condition holds. The fake clock does not move meanwhile: a test that needs
    /// time to pass advances it itself, once the dispatcher is where the test means it to be.
    /// </summary>
    public async Task UntilAsync(Func<bool> condition, int timeoutMs = 8000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("condition not met; events: " + string.Join(", ", Events.Select(e => e.GetType().Name)));
            }

            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        _scheduler.Dispose();
        _meters.Dispose();
    }

    private void Deliver(int windows, float probability)
    {
        for (var i = 0; i < windows; i++)
        {
            Array.Fill(_window, (short)(probability > 0 ? 1000 : 0));
            Audio.Ring.Write(_window);
            ((IVadSink)Pipeline).OnWindow(_position, probability);
            _position += Window;
            Time.Advance(TimeSpan.FromMilliseconds(32));
        }
    }
}
