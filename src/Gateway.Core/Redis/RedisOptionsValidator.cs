using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Redis;

public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var errors = new OptionsErrors(RedisOptions.Section);
        if (options.Configuration is { } configuration)
        {
            try
            {
                if (StackExchange.Redis.ConfigurationOptions.Parse(configuration).EndPoints.Count == 0)
                {
                    errors.Add(nameof(options.Configuration), "names no server (expected host:port[,option=value...]).");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add(nameof(options.Configuration), $"is not a StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        errors.Require(
            options.Prefix is { Length: >= 1 and <= 64 } && !options.Prefix.Any(char.IsWhiteSpace),
            nameof(options.Prefix),
            $"must be 1 to 64 characters without spaces (was \"{options.Prefix}\").");
        errors.Range(nameof(options.InstanceLease), options.InstanceLease, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));
        return errors.Result();
    }
}
