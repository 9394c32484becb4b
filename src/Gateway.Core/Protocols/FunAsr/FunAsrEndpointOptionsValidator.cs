using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols.FunAsr;

public sealed class FunAsrEndpointOptionsValidator : IValidateOptions<FunAsrEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, FunAsrEndpointOptions options)
    {
        var errors = new OptionsErrors(FunAsrEndpointOptions.Section);
        errors.Require(
            FunAsrFlavorNames.TryParse(options.RootFlavor, out _),
            nameof(options.RootFlavor),
            $"must be \"{FunAsrFlavorNames.TwoPass}\" or \"{FunAsrFlavorNames.Offline}\" (was \"{options.RootFlavor}\").");
        return errors.Result();
    }
}
