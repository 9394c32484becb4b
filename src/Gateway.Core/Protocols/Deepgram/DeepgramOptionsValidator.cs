using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols.Deepgram;

public sealed class DeepgramOptionsValidator : IValidateOptions<DeepgramOptions>
{
    public ValidateOptionsResult Validate(string? name, DeepgramOptions options)
    {
        var errors = new OptionsErrors(DeepgramOptions.Section);
        errors.Range(nameof(options.PrerecordedMaxDuration), options.PrerecordedMaxDuration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(4));
        errors.Range(nameof(options.PrerecordedMaxBytes), options.PrerecordedMaxBytes, 1, 4L * 1024 * 1024 * 1024);
        return errors.Result();
    }
}
