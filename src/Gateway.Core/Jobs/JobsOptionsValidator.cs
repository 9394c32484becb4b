using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

public sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var errors = new OptionsErrors(JobsOptions.Section);
        errors.Require(!string.IsNullOrWhiteSpace(options.DataDirectory), nameof(options.DataDirectory), "must be set.");
        errors.Range(nameof(options.MaxUploadBytes), options.MaxUploadBytes, 1024, 16L * 1024 * 1024 * 1024);
        errors.Range(nameof(options.DiskQuotaBytes), options.DiskQuotaBytes, 1024, long.MaxValue);
        errors.Range(nameof(options.MaxRecordings), options.MaxRecordings, 1, 10_000_000);
        errors.Range(nameof(options.RetainFor), options.RetainFor, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        errors.Range(nameof(options.MaxConcurrentJobs), options.MaxConcurrentJobs, 1, 256);
        errors.Range(nameof(options.MaxSegmentsInFlightPerJob), options.MaxSegmentsInFlightPerJob, 1, 64);
        errors.Range(nameof(options.MinConnections), options.MinConnections, 0, 1024);
        errors.Range(nameof(options.AgingFactor), options.AgingFactor, 0, 1_000_000);
        errors.Range(nameof(options.SegmentDeadline), options.SegmentDeadline, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        errors.Range(nameof(options.MaxAttempts), options.MaxAttempts, 1, 10);
        errors.Range(nameof(options.ChunkMs), options.ChunkMs, 20, 5000);
        errors.Require(!string.IsNullOrWhiteSpace(options.FfmpegPath), nameof(options.FfmpegPath), "must be set.");
        errors.Range(nameof(options.LeaseTimeout), options.LeaseTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Range(nameof(options.CallbackAttempts), options.CallbackAttempts, 1, 10);
        errors.Require(!string.IsNullOrWhiteSpace(options.RedisPrefix), nameof(options.RedisPrefix), "must be set.");
        if (options.DiskQuotaBytes < options.MaxUploadBytes)
        {
            errors.Add(nameof(options.DiskQuotaBytes), $"must be at least Jobs:MaxUploadBytes {options.MaxUploadBytes} (was {options.DiskQuotaBytes}).");
        }

        return errors.Result();
    }
}
