using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Dispatch;

public sealed class DispatchOptionsValidator : IValidateOptions<DispatchOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatchOptions options)
    {
        var errors = new OptionsErrors(DispatchOptions.Section);
        errors.Range(nameof(options.SegmentDeadline), options.SegmentDeadline, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        errors.Range(nameof(options.MaxAttempts), options.MaxAttempts, 1, 10);
        errors.Range(nameof(options.PartialInterval), options.PartialInterval, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        errors.Range(nameof(options.ChunkMs), options.ChunkMs, 20, 1000);
        errors.Range(nameof(options.SessionHoldSeconds), options.SessionHoldSeconds, 0, 3600);
        errors.Range(nameof(options.GatewayHoldBytes), options.GatewayHoldBytes, 0, 16L * 1024 * 1024 * 1024);
        errors.Range(nameof(options.QueuedNoticeAfter), options.QueuedNoticeAfter, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        errors.Range(nameof(options.ReadinessStallAfter), options.ReadinessStallAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        return errors.Result();
    }
}
