using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

public sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var errors = new OptionsErrors(SessionOptions.Section);
        // At least 3 s: the segmenter may cut a long segment up to 2 s back, and that audio must still be held.
        errors.Range(nameof(options.RingSeconds), options.RingSeconds, 3, 600);
        errors.Range(nameof(options.MaxMessageBytes), options.MaxMessageBytes, 1024, 64 << 20);
        errors.Range(nameof(options.OutboxCapacity), options.OutboxCapacity, 8, 65_536);
        errors.Range(nameof(options.CloseGrace), options.CloseGrace, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        errors.Range(nameof(options.OverflowReportInterval), options.OverflowReportInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        errors.Range(nameof(options.BackpressureTimeout), options.BackpressureTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        errors.Range(nameof(options.DrainTimeout), options.DrainTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        errors.Range(nameof(options.PreStopDelay), options.PreStopDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        errors.Range(nameof(options.ResumeWindow), options.ResumeWindow, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        return errors.Result();
    }
}
