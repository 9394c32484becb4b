using Gateway.Core.Jobs.Store;
using Gateway.Core.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// What the HTTP surface asks of the jobs engine: submit a received upload (checked with ffmpeg first, so an
/// unsupported or corrupt file is refused at once with ffmpeg's reason), and read the live state of jobs.
/// </summary>
public sealed class JobService
{
    private readonly IJobStore _store;
    private readonly JobWorker _worker;
    private readonly MediaDecoder _probe;

    private readonly OutboundUrlPolicy _outbound;

    internal JobService(IJobStore store, JobWorker worker, IOptions<JobsOptions> options, JobDataDirectory directory, JobActivity activity, OutboundUrlPolicy outbound)
    {
        _outbound = outbound;
        _store = store;
        _worker = worker;
        _probe = new MediaDecoder(options.Value.FfmpegPath);
        Options = options.Value;
        Directory = directory;
        Activity = activity;
    }

    public IJobStore Store => _store;

    public JobsOptions Options { get; }

    public JobDataDirectory Directory { get; }

    public JobActivity Activity { get; }

    /// <summary>This gateway's worker name (shown in a processing job's record).</summary>
    public string WorkerName => _worker.Name;

    /// <summary>Null when the callback URL may be used; else why not (HTTP 422).</summary>
    public string? CheckCallback(string? url)
    {
        if (url is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(Options.CallbackSecret))
        {
            return "callbacks are not enabled on this gateway (Jobs:CallbackSecret is not set)";
        }

        return _outbound.TryValidate(url, out _, out var error) ? null : "callback_url refused: " + error;
    }

    /// <summary>
    /// Probes the upload with ffmpeg, then stores and queues it. The temporary file is moved into the store, or
    /// deleted when refused. Throws <see cref="MediaDecodeException"/>, <see cref="DiskQuotaExceededException"/>,
    /// <see cref="JobStoreUnavailableException"/>.
    /// </summary>
    public async Task<(JobRecord Job, int? QueuePosition)> SubmitAsync(JobSubmission submission, string uploadPath, CancellationToken cancellationToken)
    {
        try
        {
            await _probe.ProbeAsync(uploadPath, cancellationToken);
            var job = await _store.SubmitAsync(submission, uploadPath, cancellationToken);
            _worker.Wake();
            return (job, await _store.QueuePositionAsync(job.Id, cancellationToken));
        }
        finally
        {
            File.Delete(uploadPath); // gone already when the store took it
        }
    }
}
