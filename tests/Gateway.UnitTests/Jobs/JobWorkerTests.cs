using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Gateway.Core.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Jobs;

/// <summary>The worker alone, against a fake store and a fake clock: its lease from claim to outcome, and a stop request.</summary>
public sealed class JobWorkerTests : IDisposable
{
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(3); // renewed every second (a third of it)
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeJobStore _store = new();
    private readonly GatedTranscriber _transcriber = new();
    private readonly StoppableLifetime _lifetime = new();
    private readonly JobActivity _activity = new();
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("gateway-worker-");
    private readonly JobWorker _worker;

    public JobWorkerTests()
    {
        var options = Options.Create(new JobsOptions { LeaseTimeout = LeaseTimeout, MaxConcurrentJobs = 2 });
        var callbacks = new JobCallbacks(new OutboundUrlPolicy(Options.Create(new OutboundUrlOptions())), options, _time, NullLogger<JobCallbacks>.Instance);
        _worker = new JobWorker(_store, _transcriber, new JobDataDirectory(_data.FullName), options, _time, _activity, callbacks, _lifetime, NullLogger<JobWorker>.Instance);
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_AudioFetchAndFinishOutlastTheLease_RenewedFromTheClaimUntilTheOutcomeIsRecorded()
    {
        _store.Enqueue("job-1");
        _transcriber.Gate.SetResult();
        await _worker.StartAsync(CancellationToken.None);

        // The upload is still being read from the store (Redis) for longer than the lease: renewals must already run.
        await _store.AudioRequested.Task.WaitAsync(Deadline);
        await AdvanceUntilRenewedAsync(times: 4);
        _store.AudioGate.SetResult();

        // The outcome is being written: still renewed, or another worker could reclaim the job mid-finish.
        await _store.FinishRequested.Task.WaitAsync(Deadline);
        await AdvanceUntilRenewedAsync(times: 4);
        _store.FinishGate.SetResult();

        // Recorded: renewal stops with the run.
        await WaitUntilAsync(() => _activity.Processing == 0);
        // A renewal that came late (after the step that waited for it had moved the clock on again) may still be
        // counted and not yet taken: take those first, so the check below sees only what comes after the outcome.
        while (await _store.RenewedAsync(TimeSpan.Zero))
        {
        }

        var renewals = _store.Renewals;
        _time.Advance(LeaseTimeout * 3);
        Assert.False(await _store.RenewedAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(renewals, _store.Renewals);
        Assert.Equal(new[] { "job-1" }, _store.Finished.ToArray());
        await _worker.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30_000)]
    public async Task StopRequested_ClaimsNoNewJob_TheRunningJobGoesOnToItsOutcome()
    {
        _store.Enqueue("running");
        _store.AudioGate.SetResult();
        await _worker.StartAsync(CancellationToken.None);
        await _transcriber.Started.Task.WaitAsync(Deadline);

        // SIGTERM: ApplicationStopping fires and the pre-stop delay begins; the host has not stopped the worker.
        _lifetime.StopApplication();
        _store.Enqueue("late");
        _worker.Wake();
        _transcriber.Gate.SetResult();
        _store.FinishGate.SetResult();

        // The claim loop ended on the stop request alone and the run finished: the worker is done before the host stops it.
        await _worker.ExecuteTask!.WaitAsync(Deadline);
        Assert.Equal(new[] { "running" }, _store.Finished.ToArray());
        Assert.Equal(new[] { "late" }, _store.Queued.ToArray()); // left for a gateway that is staying
        await _worker.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Moves the fake clock a renewal period at a time until <paramref name="times"/> renewals arrived (the lease
    /// would have lapsed after three periods without them). Steps until a renewal is seen, since the renewal loop
    /// may set its next timer after a step.
    /// </summary>
    private async Task AdvanceUntilRenewedAsync(int times)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        for (var seen = 0; seen < times;)
        {
            deadline.Token.ThrowIfCancellationRequested();
            _time.Advance(LeaseTimeout / 3);
            if (await _store.RenewedAsync(TimeSpan.FromMilliseconds(50)))
            {
                seen++;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    public void Dispose()
    {
        _worker.Dispose();
        _lifetime.Dispose();
        _data.Delete(recursive: true);
    }
}
