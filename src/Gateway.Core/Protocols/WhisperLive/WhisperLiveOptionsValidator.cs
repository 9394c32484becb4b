using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols.WhisperLive;

public sealed class WhisperLiveOptionsValidator : IValidateOptions<WhisperLiveOptions>
{
    public ValidateOptionsResult Validate(string? name, WhisperLiveOptions options)
    {
        var errors = new OptionsErrors(WhisperLiveOptions.Section);
        var language = options.DefaultLanguage ?? "";
        errors.Require(
            language.Length is >= 2 and <= 16 && language.All(c => char.IsAsciiLetter(c) || c == '-'),
            nameof(options.DefaultLanguage),
            $"must be a language code of 2 to 16 letters such as \"en\" (was \"{language}\").");
        return errors.Result();
    }
}
