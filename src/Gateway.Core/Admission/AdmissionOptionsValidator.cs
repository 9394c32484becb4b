using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Admission;

public sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        var errors = new OptionsErrors(AdmissionOptions.Section);
        errors.Range(nameof(options.MaxClients), options.MaxClients, 1, 100_000);
        errors.Range(nameof(options.MaxConnectionTime), options.MaxConnectionTime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        errors.Range(nameof(options.IdleTimeout), options.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        return errors.Result();
    }
}
