using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Instance;

public sealed class InstanceOptionsValidator : IValidateOptions<InstanceOptions>
{
    public ValidateOptionsResult Validate(string? name, InstanceOptions options)
    {
        var errors = new OptionsErrors(InstanceOptions.Section);
        if (options.InstanceId is { } id && !GatewayInstance.IsValid(id))
        {
            errors.Add(nameof(options.InstanceId), $"must be 1 to 64 of A-Z a-z 0-9 . _ - (was \"{id}\").");
        }

        return errors.Result();
    }
}
