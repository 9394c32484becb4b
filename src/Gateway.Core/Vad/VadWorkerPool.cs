namespace Gateway.Core.Vad;

/// <summary>
/// The VAD's workers and the fork-join of one round over them: the round's windows are cut into batches, worker 0
/// takes batches on the calling (tick) thread, and a large enough round wakes the others, each on its own thread,
/// to take batches too; the round returns once every batch is done.
/// </summary>
/// <remarks>
/// Concurrency: <see cref="RunRound"/> is called by one thread at a time (the tick), and a round's helpers finish
/// before the next round reuses the batch plan. Nothing is allocated per round.
/// </remarks>
internal sealed class VadWorkerPool : IDisposable
{
    /// <summary>
    /// Rounds with fewer windows run on the tick thread alone. 32 windows take about 1 ms in one call
    /// (40 µs + 29 µs per window), so a helper's wake-up (a context switch on each side) is not worth it below that.
    /// </summary>
    private const int MinWindowsToShare = 32;

    private readonly VadWorker[] _workers;
    private readonly int _maxBatch;
    private readonly Action<VadWorker, int, int> _processBatch;
    private readonly Action<Exception> _batchFailed;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _helpersDone = new(false);
    private volatile bool _helpersExit;
    private int _helpersPending;
    private int _nextBatch;
    private int _batchCount;
    private int _roundCount;
    private int _roundBatchSize;

    /// <param name="modelPath">The Silero model each worker loads into its own engine.</param>
    /// <param name="workers">How many workers (1 = the tick thread alone).</param>
    /// <param name="maxBatch">The most windows in one engine call.</param>
    /// <param name="processBatch">Classifies the round's windows [start, end) on the given worker.</param>
    /// <param name="batchFailed">Told of a helper's failed batch (its windows are retried on the next tick).</param>
    public VadWorkerPool(string modelPath, int workers, int maxBatch, Action<VadWorker, int, int> processBatch, Action<Exception> batchFailed)
    {
        _maxBatch = maxBatch;
        _processBatch = processBatch;
        _batchFailed = batchFailed;
        _workers = new VadWorker[workers];
        for (var i = 0; i < _workers.Length; i++)
        {
            // Worker 0 runs on the tick thread; the others wait for work on their own threads.
            _workers[i] = new VadWorker(new VadEngine(modelPath, maxBatch), i == 0 ? null : HelperLoop);
        }
    }

    /// <summary>The number of workers, the tick thread's included.</summary>
    public int Count => _workers.Length;

    /// <summary>The worker that runs on the tick thread.</summary>
    public VadWorker TickWorker => _workers[0];

    /// <summary>Classifies windows [0, <paramref name="count"/>) of the round, in batches, and returns when all are done.</summary>
    public void RunRound(int count)
    {
        var workers = _workers;
        // A small round stays on the tick thread: waking a helper costs more CPU than it saves in latency.
        var shares = count < MinWindowsToShare ? 1 : workers.Length;
        var batchSize = Math.Min(_maxBatch, (count + shares - 1) / shares);
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

    /// <summary>Ends the helper threads and waits for them; call once no round runs or will run.</summary>
    public void StopHelpers()
    {
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

    /// <summary>Disposes the engines and the signals; call after <see cref="StopHelpers"/>.</summary>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Engine.Dispose();
        }

        _wake.Dispose();
        _helpersDone.Dispose();
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
                _batchFailed(ex);
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
            _processBatch(worker, start, Math.Min(_roundCount, start + _roundBatchSize));
        }
    }
}
