using FunAsr.Simulator.Diagnostics;

namespace FunAsr.Simulator.Capacity;

/// <summary>
/// The simulated server's decoder workers: a fixed number shared by every connection of one host, served
/// first come, first served, each decode holding a worker for <see cref="SimulatorOptions.DecodeCostPerAudioSecond"/>
/// per second of audio. Past <c>workers / cost</c> real-time streams the queue grows and the server falls behind
/// real time, like a FunASR server under-provisioned for its load. With zero workers every connection decodes on
/// its own worker (no queue, only the cost). Concurrency: any thread acquires; releases may race acquires.
/// </summary>
internal sealed class DecoderPool(int workers, TimeSpan costPerAudioSecond, TimeProvider time, DecoderStats stats)
{
    private const int BytesPerSecond = 16_000 * 2;

    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiting = new();
    private readonly bool _bounded = workers > 0;
    private int _free = workers;

    /// <summary>Worker time for <paramref name="audioBytes"/> of PCM16 16 kHz mono audio.</summary>
    public TimeSpan CostOf(int audioBytes) => costPerAudioSecond * ((double)audioBytes / BytesPerSecond);

    /// <summary>Waits for a worker (in arrival order), holds it for the audio's decode cost, then frees it.</summary>
    public async Task DecodeAsync(int audioBytes, CancellationToken cancellationToken)
    {
        var cost = CostOf(audioBytes);
        if (!_bounded)
        {
            stats.Started(TimeSpan.Zero);
            try
            {
                await DelayAsync(cost, cancellationToken);
            }
            finally
            {
                stats.Finished(cost);
            }

            return;
        }

        var queuedAt = time.GetTimestamp();
        await AcquireAsync(cancellationToken);
        stats.Started(time.GetElapsedTime(queuedAt));
        try
        {
            await DelayAsync(cost, cancellationToken);
        }
        finally
        {
            stats.Finished(cost);
            Release();
        }
    }

    private Task DelayAsync(TimeSpan cost, CancellationToken cancellationToken) =>
        cost > TimeSpan.Zero ? Task.Delay(cost, time, cancellationToken) : Task.CompletedTask;

    private Task AcquireAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_free > 0 && _waiting.Count == 0)
            {
                _free--;
                return Task.CompletedTask;
            }

            waiter = new Waiter();
            _waiting.Enqueue(waiter);
            stats.Queued(_waiting.Count);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static state => ((Waiter)state!).Completion.TrySetCanceled(), waiter);
        }

        return waiter.Completion.Task;
    }

    private void Release()
    {
        lock (_gate)
        {
            // A waiter whose connection went away was cancelled: skip it, its turn passes to the next.
            while (_waiting.TryDequeue(out var next))
            {
                stats.Dequeued();
                next.Registration.Dispose();
                if (next.Completion.TrySetResult())
                {
                    return;
                }
            }

            _free++;
        }
    }

    private sealed class Waiter
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}
