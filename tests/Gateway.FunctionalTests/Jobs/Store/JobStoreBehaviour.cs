using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Gateway.Core.Results;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Jobs.Store;

/// <summary>The behaviour every <see cref="IJobStore"/> must have; run against SQLite and Redis.</summary>
public abstract class JobStoreBehaviour : IAsyncLifetime
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(30));
    private readonly List<IJobStore> _stores = [];

    protected JobMedia Media { get; } = new();

    protected CancellationToken Token => _deadline.Token;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            (store as IDisposable)?.Dispose();
        }

        Media.Dispose();
        await Task.CompletedTask;
    }

    [Fact(Timeout = 30_000)]
    public async Task Submit_ThenGet_QueuedWithPositionAndTheUpload()
    {
        var store = Create();
        var first = await SubmitAsync(store, "a.wav", 100);
        var second = await SubmitAsync(store, "b.wav", 200);

        var read = await store.GetAsync(second.Id, Token);
        Assert.Equal(JobStatus.Queued, read!.Status);
        Assert.Equal("b.wav", read.Submission.FileName);
        Assert.Equal(200, read.SizeBytes);
        Assert.Equal(0, await store.QueuePositionAsync(first.Id, Token));
        Assert.Equal(1, await store.QueuePositionAsync(second.Id, Token));
        await using var audio = await store.OpenAudioAsync(second.Id, Token);
        using var copy = new MemoryStream();
        await audio!.CopyToAsync(copy, Token);
        Assert.Equal(200, copy.Length);
        Assert.Null(await store.GetAsync(JobIds.New(), Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Claim_ThreeJobs_EachTakenOnceInOrder()
    {
        var store = Create();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await SubmitAsync(store, $"{i}.wav", 10)).Id);
        }

        var claimed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            claimed.Add((await store.ClaimAsync("w1", Token))!.JobId);
        }

        Assert.Equal(ids, claimed);
        Assert.Null(await store.ClaimAsync("w2", Token));
        Assert.Equal(JobStatus.Processing, (await store.GetAsync(ids[0], Token))!.Status);
        Assert.Null(await store.QueuePositionAsync(ids[0], Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Claim_HigherPriorityFirst_ThenOldest_QueuePositionsAgree()
    {
        var store = Create();
        var low = (await SubmitAsync(store, "low.wav", 10, priority: -1)).Id;
        var first = (await SubmitAsync(store, "first.wav", 10)).Id;
        var high = (await SubmitAsync(store, "high.wav", 10, priority: 5)).Id;
        var second = (await SubmitAsync(store, "second.wav", 10)).Id;
        string[] order = [high, first, second, low];

        Assert.Equal(new[] { 0, 1, 2, 3 }, await Task.WhenAll(order.Select(async id => (await store.QueuePositionAsync(id, Token))!.Value)));
        var claimed = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            claimed.Add((await store.ClaimAsync("w1", Token))!.JobId);
        }

        // A late higher-priority job overtakes what is still queued.
        var late = (await SubmitAsync(store, "late.wav", 10, priority: 1)).Id;
        Assert.Equal(0, await store.QueuePositionAsync(late, Token));
        while (await store.ClaimAsync("w1", Token) is { } lease)
        {
            claimed.Add(lease.JobId);
        }

        Assert.Equal([high, first, late, second, low], claimed);
    }

    [Fact(Timeout = 30_000)]
    public async Task Retry_KeepsThePriority()
    {
        var store = Create();
        await SubmitAsync(store, "high.wav", 10, priority: 5);
        var high = (await store.ClaimAsync("w1", Token))!;
        Assert.True(await store.FinishAsync(high, new JobOutcome { Error = "upstream unavailable", ErrorStatus = 503 }, Token));
        var normal = (await SubmitAsync(store, "normal.wav", 10)).Id;

        Assert.Equal(RetryResult.Requeued, await store.RetryAsync(high.JobId, Token));

        Assert.Equal(0, await store.QueuePositionAsync(high.JobId, Token));
        Assert.Equal(1, await store.QueuePositionAsync(normal, Token));
        Assert.Equal(high.JobId, (await store.ClaimAsync("w1", Token))!.JobId);
        Assert.Equal(normal, (await store.ClaimAsync("w1", Token))!.JobId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Finish_ExactlyOnce_AStaleLeaseAfterReclaimIsRefused()
    {
        var store = Create(leaseTimeout: TimeSpan.FromSeconds(1));
        var other = CreateSibling(store, leaseTimeout: TimeSpan.FromSeconds(1));
        var job = await SubmitAsync(store, "a.wav", 10);
        var stale = (await store.ClaimAsync("w1", Token))!;

        // w1 stops renewing (it died); after the lease timeout another worker reclaims the job.
        JobLease? reclaimed = null;
        while (reclaimed is null)
        {
            reclaimed = await other.ClaimAsync("w2", Token);
            if (reclaimed is null)
            {
                await Task.Delay(100, Token);
            }
        }

        Assert.Equal(job.Id, reclaimed.JobId);
        Assert.False(await store.RenewAsync(stale, 0.5, null, Token));
        Assert.False(await store.FinishAsync(stale, Done("stale"), Token));
        Assert.True(await other.FinishAsync(reclaimed, Done("fresh"), Token));
        Assert.False(await other.FinishAsync(reclaimed, Done("twice"), Token));
        var record = (await store.GetAsync(job.Id, Token))!;
        Assert.Equal(JobStatus.Done, record.Status);
        Assert.Equal("fresh", record.Text);
        Assert.Equal(2, record.Attempts);
        Assert.Null(await other.ClaimAsync("w3", Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Renew_KeepsTheLease_NobodyReclaimsARenewedJob()
    {
        var store = Create(leaseTimeout: TimeSpan.FromSeconds(1));
        await SubmitAsync(store, "a.wav", 10);
        var lease = (await store.ClaimAsync("w1", Token))!;
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(300, Token);
            Assert.True(await store.RenewAsync(lease, 0.1 * i, 12.5, Token));
            Assert.Null(await store.ClaimAsync("w2", Token));
        }

        var record = (await store.GetAsync(lease.JobId, Token))!;
        Assert.Equal(0.5, record.Progress, 3);
        Assert.Equal(12.5, record.DurationSeconds);
    }

    [Fact(Timeout = 30_000)]
    public async Task Delete_WhileProcessing_WorkerToldAndLeaseDead()
    {
        var store = Create();
        var job = await SubmitAsync(store, "a.wav", 10);
        var lease = (await store.ClaimAsync("w1", Token))!;
        var cancelled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.JobCancelled += id => cancelled.TrySetResult(id);

        Assert.True(await store.DeleteAsync(job.Id, Token));

        Assert.Equal(job.Id, await cancelled.Task.WaitAsync(Token));
        Assert.False(await store.RenewAsync(lease, 0.5, null, Token));
        Assert.False(await store.FinishAsync(lease, Done("late"), Token));
        Assert.Null(await store.GetAsync(job.Id, Token));
        Assert.Null(await store.OpenAudioAsync(job.Id, Token));
        Assert.False(await store.DeleteAsync(job.Id, Token));
        Assert.Null(await store.ClaimAsync("w2", Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Retry_RunningRefused_FailedRequeuedWithItsSegments_DoneStartsOver()
    {
        var store = Create();
        var job = await SubmitAsync(store, "a.wav", 10);
        var lease = (await store.ClaimAsync("w1", Token))!;
        Assert.Equal(RetryResult.NotFinished, await store.RetryAsync(job.Id, Token));
        Assert.Equal(RetryResult.NotFound, await store.RetryAsync(JobIds.New(), Token));
        await store.AddSegmentAsync(lease, Segment(0, 16_000, "one"), Token);
        await store.AddSegmentAsync(lease, Segment(32_000, 48_000, "two"), Token);
        Assert.True(await store.FinishAsync(lease, new JobOutcome { Error = "upstream unavailable", ErrorStatus = 503 }, Token));
        Assert.Equal(JobStatus.Failed, (await store.GetAsync(job.Id, Token))!.Status);

        Assert.Equal(RetryResult.Requeued, await store.RetryAsync(job.Id, Token));

        Assert.Equal(0, await store.QueuePositionAsync(job.Id, Token));
        var again = (await store.ClaimAsync("w1", Token))!;
        Assert.Equal(["one", "two"], (await store.GetSegmentsAsync(job.Id, Token)).Select(s => s.Text));
        Assert.True(await store.FinishAsync(again, Done("one two"), Token));
        Assert.Equal(RetryResult.Requeued, await store.RetryAsync(job.Id, Token));
        Assert.Empty(await store.GetSegmentsAsync(job.Id, Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task List_PagesNewestFirst_FiltersByStatus()
    {
        var store = Create();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await SubmitAsync(store, $"{i}.wav", 10)).Id);
            await Task.Delay(5, Token); // distinct creation times
        }

        var lease = (await store.ClaimAsync("w1", Token))!;
        await store.FinishAsync(lease, Done("x"), Token);

        var page1 = await store.ListAsync(new JobQuery(1, 2), Token);
        var page3 = await store.ListAsync(new JobQuery(3, 2), Token);
        var done = await store.ListAsync(new JobQuery(1, 10, JobStatus.Done), Token);

        Assert.Equal(5, page1.Total);
        Assert.Equal([ids[4], ids[3]], page1.Items.Select(j => j.Id));
        Assert.Equal([ids[0]], page3.Items.Select(j => j.Id));
        Assert.Equal([ids[0]], done.Items.Select(j => j.Id));
        Assert.Equal(1, done.Total);
        var counts = await store.CountsAsync(Token);
        Assert.Equal((4, 0, 1, 0, 50L), (counts.Queued, counts.Processing, counts.Done, counts.Failed, counts.StoredBytes));
    }

    [Fact(Timeout = 30_000)]
    public async Task Submit_OverQuota_RefusedAndNothingStored()
    {
        var store = Create(quota: 2048);
        await SubmitAsync(store, "a.wav", 1500);

        await Assert.ThrowsAsync<DiskQuotaExceededException>(() => SubmitAsync(store, "b.wav", 1000));

        Assert.Equal(1, (await store.ListAsync(new JobQuery(), Token)).Total);
    }

    [Fact(Timeout = 30_000)]
    public async Task Cleanup_KeepsMaxRecordingsFinished_QueuedUntouched()
    {
        var store = Create(maxRecordings: 2);
        for (var i = 0; i < 4; i++)
        {
            await SubmitAsync(store, $"{i}.wav", 10);
            var lease = (await store.ClaimAsync("w1", Token))!;
            await store.FinishAsync(lease, Done($"{i}"), Token);
            await Task.Delay(5, Token);
        }

        var queued = await SubmitAsync(store, "q.wav", 10);

        Assert.Equal(2, await store.CleanupAsync(Token));

        var left = (await store.ListAsync(new JobQuery(), Token)).Items;
        Assert.Equal(["3", "2"], left.Where(j => j.Status == JobStatus.Done).Select(j => j.Text));
        Assert.Contains(left, j => j.Id == queued.Id);
    }

    protected abstract IJobStore CreateStore(JobsOptions options);

    /// <summary>A second store on the same data (another gateway).</summary>
    protected abstract IJobStore CreateSiblingStore(IJobStore first, JobsOptions options);

    private IJobStore Create(TimeSpan? leaseTimeout = null, long quota = 1L << 30, int maxRecordings = 1000)
    {
        var store = CreateStore(Options(leaseTimeout, quota, maxRecordings));
        _stores.Add(store);
        return store;
    }

    private IJobStore CreateSibling(IJobStore first, TimeSpan? leaseTimeout = null)
    {
        var store = CreateSiblingStore(first, Options(leaseTimeout, 1L << 30, 1000));
        _stores.Add(store);
        return store;
    }

    protected virtual JobsOptions Options(TimeSpan? leaseTimeout, long quota, int maxRecordings) => new()
    {
        DataDirectory = Media.File("data"),
        LeaseTimeout = leaseTimeout ?? TimeSpan.FromSeconds(30),
        DiskQuotaBytes = quota,
        MaxUploadBytes = Math.Min(quota, 1024 * 1024),
        MaxRecordings = maxRecordings,
    };

    private async Task<JobRecord> SubmitAsync(IJobStore store, string name, int bytes, int priority = 0)
    {
        var path = Media.File(Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, new byte[bytes], Token);
        return await store.SubmitAsync(new JobSubmission { FileName = name, Priority = priority }, path, Token);
    }

    private static JobOutcome Done(string text) => new() { Text = text, DurationSeconds = 1, ProcessingSeconds = 0.1, Sentences = [] };

    private static TranscribedSegment Segment(long start, long end, string text) => new(start, end, text, [new Sentence(text, start, end)]);

    protected static IOptions<JobsOptions> Wrap(JobsOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
