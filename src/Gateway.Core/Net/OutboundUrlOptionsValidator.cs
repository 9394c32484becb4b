using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Net;

public sealed class OutboundUrlOptionsValidator : IValidateOptions<OutboundUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundUrlOptions options)
    {
        var errors = new OptionsErrors(OutboundUrlOptions.Section);
        errors.Require(options.AllowedSchemes.Count > 0, nameof(options.AllowedSchemes), "must name at least one scheme.");
        foreach (var scheme in options.AllowedSchemes.Where(s => s is not ("http" or "https")))
        {
            errors.Add(nameof(options.AllowedSchemes), $"may hold only http and https (was '{scheme}').");
        }

        return errors.Result();
    }
}
