using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Fetching;

public sealed class FetchOptionsValidator : IValidateOptions<FetchOptions>
{
    public ValidateOptionsResult Validate(string? name, FetchOptions options)
    {
        var errors = new OptionsErrors(FetchOptions.Section);
        errors.Range(nameof(options.Timeout), options.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        errors.Range(nameof(options.MaxRedirects), options.MaxRedirects, 0, 10);
        return errors.Result();
    }
}
