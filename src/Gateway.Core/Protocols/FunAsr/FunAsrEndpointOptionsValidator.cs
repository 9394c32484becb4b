using Gateway.Core.Configuration;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols.FunAsr;

public sealed class FunAsrEndpointOptionsValidator : IValidateOptions<FunAsrEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, FunAsrEndpointOptions options)
    {
        var errors = new OptionsErrors(FunAsrEndpointOptions.Section);
        errors.Require(
            FunAsrFlavours.TryParse(options.RootFlavour, out var flavour) && flavour is FunAsrFlavour.TwoPass or FunAsrFlavour.Offline,
            nameof(options.RootFlavour),
            $"must be \"{FunAsrFlavours.TwoPass}\" or \"{FunAsrFlavours.Offline}\" (was \"{options.RootFlavour}\").");
        return errors.Result();
    }
}
