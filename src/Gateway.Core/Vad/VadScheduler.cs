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
/// <see cref="VadOptions.Workers"/> worker threads, each with its own <see cref="VadEngine"/>.
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
    /// <summary>
    /// Rounds with fewer windows run on the tick thread alone. 32 windows take about 1 ms in one call
    /// (40 µs + 29 µs per window), so a helper's wake-up (a context switch on each side) is not worth it below that.
    /// </summary>
    private const int MinWindowsToShare = 32;

    private readonly VadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly VadMetrics _metrics;
    private readonly EnergyGate _gate;
    private readonly Lock _registration = new();
    private readonly Lock _tickLock = new();
    private readonly SemaphoreSlim _tickSignal = new(0);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _helpersDone = new(false);
    private VadStream[] _streams = [];
    private VadStream[] _ready = new VadStream[64];
    private VadWorker[] _workers = [];
    private ITimer? _timer;
    private Thread? _tickThread;
    private volatile bool _stopping;
    private volatile bool _helpersExit;
    private int _disposed;
    private int _tickPending;
    private int _helpersPending;
    private int _nextBatch;
    private int _batchCount;
    private int _roundCount;
    private int _roundBatchSize;

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
    public bool IsModelLoaded => Volatile.Read(ref _workers).Length > 0;

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
        Log.Started(_logger, _workers.Length, _options.TickMs, _options.MaxBatch, _gate.Enabled);
    }

    /// <summary>
    /// Runs one tick on the calling thread: classifies every whole window available now, up to
    /// <see cref="VadOptions.MaxWindowsPerStreamPerTick"/> per stream, each peek due
    /// (<see cref="IVadSink.PeekPosition"/>) before the window that contains it. Returns the number of windows classified, peeks included.
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
            foreach (var worker in _workers)
            {
                worker.Engine.Dispose();
            }
        }

        _metrics.Dispose();
        // _tickSignal stays undisposed: a timer callback already in flight may still release it.
        _wake.Dispose();
        _helpersDone.Dispose();
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
        _helpersExit = true;
        var helpers = Math.Max(0, _workers.Length - 1);
        if (helpers > 0)
        {
            _wake.Release(helpers);
        }

        foreach (var worker in _workers)
        {
            worker.Thread?.Join();
        }
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
            var workers = new VadWorker[_options.Workers];
            for (var i = 0; i < workers.Length; i++)
            {
                // Worker 0 runs on the tick thread; the others wait for work on their own threads.
                workers[i] = new VadWorker(new VadEngine(path, _options.MaxBatch), i == 0 ? null : HelperLoop);
            }

            Volatile.Write(ref _workers, workers);
            Log.ModelLoaded(_logger, path, workers.Length, _time.GetElapsedTime(started).TotalMilliseconds);
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
                // Before every round, not only after the last: a peek due inside a stream's next window is taken
                // before that window is classified even when the whole window is already there (audio that came in
                // a burst), so the endpoint decision depends on the samples alone, never on when they arrived.
                total += Peek(streams);
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

                RunRound(count);
                total += count;
            }

            Array.Clear(_ready, 0, Math.Min(_ready.Length, streams.Length));
            if (total > 0)
            {
                _metrics.TickDuration.Record(_time.GetElapsedTime(started).TotalMilliseconds);
            }

            return total;
        }
    }

    private void RunRound(int count)
    {
        var workers = _workers;
        // A small round stays on the tick thread: waking a helper costs more CPU than it saves in latency.
        var shares = count < MinWindowsToShare ? 1 : workers.Length;
        var batchSize = Math.Min(_options.MaxBatch, (count + shares - 1) / shares);
        _roundCount = count;
        _roundBatchSize = batchSize;
        _batchCount = (count + batchSize - 1) / batchSize;
        _nextBatch = -1;
        var helpers = count < MinWindowsToShare ? 0 : Math.Min(workers.Length - 1, _batchCount - 1);
        if (helpers > 0)
        {
            _helpersDone.Reset();
            Volatile.Write(ref _helpersPending, helpers);
            _wake.Release(helpers);
        }

        try
        {
            WorkLoop(workers[0]);
        }
        finally
        {
            // Even if this thread's share failed, the helpers must finish before the next round reuses the batch plan.
            if (helpers > 0)
            {
                _helpersDone.Wait();
            }
        }
    }

    private void HelperLoop(VadWorker worker)
    {
        while (true)
        {
            _wake.Wait();
            if (_helpersExit)
            {
                return;
            }

            try
            {
                WorkLoop(worker);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failed batch must not kill the worker thread; its windows are retried on the next tick.
                Log.TickFailed(_logger, ex);
            }
            finally
            {
                if (Interlocked.Decrement(ref _helpersPending) == 0)
                {
                    _helpersDone.Set();
                }
            }
        }
    }

    private void WorkLoop(VadWorker worker)
    {
        int batch;
        while ((batch = Interlocked.Increment(ref _nextBatch)) < _batchCount)
        {
            var start = batch * _roundBatchSize;
            ProcessBatch(worker, start, Math.Min(_roundCount, start + _roundBatchSize));
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
            for (var b = 0; b < rows; b++)
            {
                var stream = worker.Rows[b]!;
                stream.State(0).CopyTo(engine.State(0, b, rows));
                stream.State(1).CopyTo(engine.State(1, b, rows));
            }

            engine.Run(rows);
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
                    // One faulty sink must not stop VAD for every other stream: drop that stream only.
                    Log.SinkFailed(_logger, ex);
                    stream.MarkRemoved();
                    Remove(stream);
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
}
