using Gateway.Core.Configuration;
using Gateway.Core.Redis;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Admission;

public sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    private readonly IOptions<RedisOptions>? _redis;

    /// <param name="redis">The Redis section, for the Fleet scope's requirement (absent: not checked).</param>
    public AdmissionOptionsValidator(IOptions<RedisOptions>? redis = null) => _redis = redis;

    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        var errors = new OptionsErrors(AdmissionOptions.Section);
        errors.Range(nameof(options.MaxClients), options.MaxClients, 1, 100_000);
        errors.Range(nameof(options.MaxConnectionTime), options.MaxConnectionTime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        errors.Range(nameof(options.IdleTimeout), options.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        errors.Require(Enum.IsDefined(options.Scope), nameof(options.Scope), $"must be Local or Fleet (was {options.Scope}).");
        errors.Require(
            options.Scope != AdmissionScope.Fleet || RedisConfigured() != false,
            nameof(options.Scope),
            "Fleet needs the fleet's Redis: set Redis:Configuration (docs/scale-out.md), or use Local.");
        return errors.Result();
    }

    /// <summary>Whether Redis:Configuration is set; null when unknown (no Redis section here, or it is invalid and reports itself).</summary>
    private bool? RedisConfigured()
    {
        try
        {
            return _redis is null ? null : _redis.Value.Configuration is not null;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
