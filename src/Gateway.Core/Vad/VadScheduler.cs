using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Core.Audio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Vad;

/// <summary>
/// Runs Silero VAD for every registered stream on a shared tick (<see cref="VadOptions.TickMs"/>), batching the windows of all streams into
/// as few ONNX calls as possible (at most <see cref="VadOptions.MaxBatch"/> windows per call) across
/// <see cref="VadOptions.Workers"/> worker threads, each with its own <see cref="VadEngine"/> (<see cref="VadWorkerPool"/>
/// splits a round between them).
/// </summary>
/// <remarks>
/// A tick runs rounds: each round takes one window from every stream that has a whole one waiting, so a stream
/// that fell behind catches up over several rounds and later ticks (at most
/// <see cref="VadOptions.MaxWindowsPerStreamPerTick"/> per tick) and windows are never skipped.
/// Each stream carries its own recurrent state and 64-sample context, so batching gives the same probabilities as
/// running the stream alone, and streams joining or leaving never disturb the others.
/// Concurrency: <see cref="Register"/> and <see cref="VadStreamHandle.Dispose"/> may be called from any thread at
/// any time. Ticks run on one dedicated thread (started by <see cref="Start"/>) or, in tests and tools, on the
/// caller of <see cref="RunOnce"/>; the two must not be mixed. Nothing is allocated per window or per tick.
/// PERF: one call of 64 windows costs about 2.1 ms where 64 single-window calls cost about 4.8 ms
/// (VadEngineBenchmarks); a whole tick allocates 0 B (VadSchedulerBenchmarks).
/// </remarks>
public sealed partial class VadScheduler : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly VadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly VadMetrics _metrics;
    private readonly EnergyGate _gate;
    private readonly Lock _registration = new();
    private readonly Lock _tickLock = new();
    private readonly SemaphoreSlim _tickSignal = new(0);
    private VadStream[] _streams = [];
    private VadStream[] _ready = new VadStream[64];
    private VadWorkerPool? _workers; // set once the model is loaded
    private ITimer? _timer;
    private Thread? _tickThread;
    private volatile bool _stopping;
    private int _disposed;
    private int _tickPending;

    public VadScheduler(IOptions<VadOptions> options, TimeProvider timeProvider, ILogger<VadScheduler> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _gate = new EnergyGate(_options.EnergyGate);
        _metrics = new VadMetrics(meterFactory, () => Volatile.Read(ref _streams).Length);
    }

    /// <summary>The period of the shared tick.</summary>
    public TimeSpan TickPeriod => TimeSpan.FromMilliseconds(_options.TickMs);

    /// <summary>True once every worker's ONNX session is loaded (readiness).</summary>
    public bool IsModelLoaded => Volatile.Read(ref _workers) is not null;

    /// <summary>Streams currently registered.</summary>
    public int StreamCount => Volatile.Read(ref _streams).Length;

    /// <summary>
    /// Adds a stream, starting at the ring's current <see cref="AudioRing.WritePosition"/> (position 0 of a new ring).
    /// The VAD only reads the ring; it never releases it. <paramref name="live"/> false: audio that arrives faster
    /// than real time (a file job), whose backlog is not lag, so <c>gateway.vad.lag</c> leaves it out (docs/vad.md).
    /// </summary>
    public VadStreamHandle Register(AudioRing ring, IVadSink sink, bool live = true)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_stopping, this);
        var stream = new VadStream(ring, sink, ring.WritePosition, live);
        lock (_registration)
        {
            Volatile.Write(ref _streams, [.. _streams, stream]);
        }

        return new VadStreamHandle(this, stream);
    }

    /// <summary>Loads the model and starts the tick thread.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        EnsureLoaded();
        if (_tickThread is not null)
        {
            return;
        }

        _tickThread = new Thread(TickLoop) { IsBackground = true, Name = "vad-tick" };
        _tickThread.Start();
        var period = TickPeriod;
        _timer = _time.CreateTimer(static s => ((VadScheduler)s!).OnTimer(), this, period, period);
        Log.Started(_logger, _workers!.Count, _options.TickMs, _options.MaxBatch, _gate.Enabled);
    }

    /// <summary>
    /// Runs one tick on the calling thread: classifies every whole window available now, up to
    /// <see cref="VadOptions.MaxWindowsPerStreamPerTick"/> per stream, then any peek due
    /// (<see cref="IVadSink.PeekPosition"/>). Returns the number of windows classified, peeks included.
    /// For tests and tools; do not call once <see cref="Start"/> has been called.
    /// </summary>
    public int RunOnce()
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        EnsureLoaded();
        return Tick();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Stop();
        lock (_tickLock)
        {
            _workers?.Dispose();
        }

        _metrics.Dispose();
        // _tickSignal stays undisposed: a timer callback already in flight may still release it.
    }

    internal void Remove(VadStream stream)
    {
        lock (_registration)
        {
            var index = Array.IndexOf(_streams, stream);
            if (index >= 0)
            {
                Volatile.Write(ref _streams, [.. _streams.AsSpan(0, index), .. _streams.AsSpan(index + 1)]);
            }
        }
    }

    private void Stop()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _timer?.Dispose();
        _tickSignal.Release();
        _tickThread?.Join();
        // Only now: a tick that was running when Stop began still needs its helpers to finish its round.
        Volatile.Read(ref _workers)?.StopHelpers();
    }

    private void EnsureLoaded()
    {
        if (IsModelLoaded)
        {
            return;
        }

        lock (_tickLock)
        {
            if (IsModelLoaded)
            {
                return;
            }

            var started = _time.GetTimestamp();
            var path = _options.ResolveModelPath();
            var workers = new VadWorkerPool(path, _options.Workers, _options.MaxBatch, ProcessBatch, ex => Log.TickFailed(_logger, ex));
            Volatile.Write(ref _workers, workers);
            Log.ModelLoaded(_logger, path, workers.Count, _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private void OnTimer()
    {
        // Coalesce: a tick that overruns the period is followed by one tick, not a queue of them.
        if (Interlocked.Exchange(ref _tickPending, 1) == 0)
        {
            _tickSignal.Release();
        }
    }

    private void TickLoop()
    {
        while (true)
        {
            _tickSignal.Wait();
            Volatile.Write(ref _tickPending, 0);
            if (_stopping)
            {
                return;
            }

            try
            {
                Tick();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Positions did not advance for the failed batch, so its windows are retried on the next tick.
                Log.TickFailed(_logger, ex);
            }
        }
    }

    private int Tick()
    {
        lock (_tickLock)
        {
            var started = _time.GetTimestamp();
            var streams = Volatile.Read(ref _streams);
            if (_ready.Length < streams.Length)
            {
                _ready = new VadStream[streams.Length * 2];
            }

            foreach (var stream in streams)
            {
                stream.WindowsThisTick = 0;
            }

            var total = 0;
            while (true)
            {
                var count = 0;
                foreach (var stream in streams)
                {
                    if (stream.WindowsThisTick >= _options.MaxWindowsPerStreamPerTick || !stream.HasWindow)
                    {
                        continue;
                    }

                    var lost = stream.SkipReleased();
                    if (lost > 0)
                    {
                        _metrics.LostWindows.Add(lost);
                        Log.WindowsLost(_logger, lost);
                        if (!stream.HasWindow)
                        {
                            continue;
                        }
                    }

                    stream.WindowsThisTick++;
                    _ready[count++] = stream;
                }

                if (count == 0)
                {
                    break;
                }

                _workers!.RunRound(count);
                total += count;
            }

            total += Peek(streams);

            Array.Clear(_ready, 0, Math.Min(_ready.Length, streams.Length));
            if (total > 0)
            {
                _metrics.TickDuration.Record(_time.GetElapsedTime(started).TotalMilliseconds);
            }

            return total;
        }
    }

    private void ProcessBatch(VadWorker worker, int start, int end)
    {
        var engine = worker.Engine;
        var rows = 0;
        for (var i = start; i < end; i++)
        {
            var stream = _ready[i];
            var input = engine.Input(rows);
            stream.Context.CopyTo(input);
            var window = input[VadEngine.ContextSamples..];
            stream.Ring.CopyTo(stream.Position, window);
            if (_gate.IsBelowFloor(window))
            {
                // The state is carried over unchanged; the context still advances to the real audio.
                Deliver(stream, input, 0f);
                _metrics.GatedWindows.Add(1);
                continue;
            }

            worker.Rows[rows++] = stream;
        }

        if (rows > 0)
        {
            worker.RunRows(rows);
            for (var b = 0; b < rows; b++)
            {
                var stream = worker.Rows[b]!;
                engine.NextState(0, b, rows).CopyTo(stream.State(0));
                engine.NextState(1, b, rows).CopyTo(stream.State(1));
                Deliver(stream, engine.Input(b), engine.Probability(b));
                worker.Rows[b] = null;
            }

            _metrics.Batches.Add(1);
            _metrics.BatchSize.Record(rows);
        }

        _metrics.Windows.Add(end - start);
    }

    private void Deliver(VadStream stream, ReadOnlySpan<float> input, float probability)
    {
        var windowStart = stream.Position;
        lock (stream.Sync)
        {
            if (!stream.Removed)
            {
                try
                {
                    stream.Sink.OnWindow(windowStart, probability);
                }
                catch (Exception ex)
                {
                    DropFailedSink(stream, ex);
                }
            }
        }

        stream.Advance(input);
        if (stream.Live)
        {
            var lagSamples = stream.Ring.WritePosition - stream.Position;
            _metrics.Lag.Record(lagSamples * 1000.0 / VadEngine.SampleRate);
        }
    }

    /// <summary>One faulty sink must not stop VAD for every other stream: drop that stream only (caller holds its <see cref="VadStream.Sync"/>).</summary>
    private void DropFailedSink(VadStream stream, Exception ex)
    {
        Log.SinkFailed(_logger, ex);
        stream.MarkRemoved();
        Remove(stream);
    }
}
