using System.Collections.Concurrent;
using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;

namespace Gateway.UnitTests.Jobs;

/// <summary>
/// A job store for driving <see cref="JobWorker"/> alone: it hands out queued jobs, counts claims and renewals, and
/// holds the audio fetch and the finish until the test lets them go (a slow Redis read or write).
/// </summary>
internal sealed class FakeJobStore : IJobStore
{
    private readonly ConcurrentQueue<JobRecord> _queued = new();
    private readonly SemaphoreSlim _renewed = new(0);
    private int _claims;
    private int _renewals;

    public event Action<string>? JobCancelled { add { } remove { } }

    public TaskCompletionSource AudioRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource AudioGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FinishRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FinishGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Finished { get; } = new();

    public int Claims => Volatile.Read(ref _claims);

    public int Renewals => Volatile.Read(ref _renewals);

    public IEnumerable<string> Queued => _queued.Select(j => j.Id);

    public void Enqueue(string id) => _queued.Enqueue(new JobRecord { Id = id, Submission = new JobSubmission { FileName = id + ".wav" } });

    /// <summary>True when a renewal arrived within <paramref name="wait"/>.</summary>
    public Task<bool> RenewedAsync(TimeSpan wait) => _renewed.WaitAsync(wait);

    public Task<JobLease?> ClaimAsync(string worker, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _claims);
        return Task.FromResult(_queued.TryDequeue(out var job) ? new JobLease(job.Id, "lease-" + job.Id, worker, job) : null);
    }

    public Task<bool> RenewAsync(JobLease lease, double progress, double? durationSeconds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renewals);
        _renewed.Release();
        return Task.FromResult(true);
    }

    public async Task<Stream?> OpenAudioAsync(string id, CancellationToken cancellationToken)
    {
        AudioRequested.TrySetResult();
        await AudioGate.Task.WaitAsync(cancellationToken);
        return new MemoryStream([0, 0, 0, 0]);
    }

    public async Task<bool> FinishAsync(JobLease lease, JobOutcome outcome, CancellationToken cancellationToken)
    {
        FinishRequested.TrySetResult();
        await FinishGate.Task.WaitAsync(cancellationToken);
        Finished.Enqueue(lease.JobId);
        return true;
    }

    public Task<IReadOnlyList<TranscribedSegment>> GetSegmentsAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TranscribedSegment>>([]);

    public Task AddSegmentAsync(JobLease lease, TranscribedSegment segment, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult<JobRecord?>(null);

    public Task<int> CleanupAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<JobRecord> SubmitAsync(JobSubmission submission, string uploadPath, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int?> QueuePositionAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<QueueCounts> CountsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RetryResult> RetryAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
}
