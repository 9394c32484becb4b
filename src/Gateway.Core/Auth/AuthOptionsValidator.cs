using System.Net;
using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Auth;

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new OptionsErrors(AuthOptions.Section);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"Keys:{i}";
            errors.Require(key.Name.Length > 0, $"{at}:Name", "must be set.");
            errors.Require(key.Name.Length == 0 || names.Add(key.Name), $"{at}:Name", $"\"{key.Name}\" is used by another key.");
            errors.Require(ApiKeys.TryParseHash(key.Hash, out _), $"{at}:Hash", "must be \"sha256:\" followed by 64 hex digits (printf %s \"$KEY\" | sha256sum).");
            errors.Require(key.Scopes.Count > 0, $"{at}:Scopes", $"must list at least one of {string.Join(", ", Scopes.All)}.");
            foreach (var scope in key.Scopes.Where(s => !Scopes.All.Contains(s)))
            {
                errors.Add($"{at}:Scopes", $"has unknown scope \"{scope}\"; use {string.Join(", ", Scopes.All)}.");
            }

            errors.Range($"{at}:MaxSessions", key.MaxSessions, 0, 1_000_000);
            errors.Range($"{at}:StreamMinutesPerDay", key.StreamMinutesPerDay, 0, 1_440_000);
            errors.Range($"{at}:JobsPerHour", key.JobsPerHour, 0, 1_000_000);
            errors.Range($"{at}:MaxIngests", key.MaxIngests, 0, 10_000);
            errors.Range($"{at}:UploadBytesPerDay", key.UploadBytesPerDay, 0, long.MaxValue);
        }

        if (options.GrantSecret is { } secret)
        {
            errors.Require(GrantTokens.TryDecodeSecret(secret, out _), nameof(options.GrantSecret), "must be base64 of at least 32 bytes.");
        }

        errors.Range(nameof(options.GrantLifetime), options.GrantLifetime, TimeSpan.FromSeconds(1), options.MaxGrantLifetime);
        errors.Range(nameof(options.MaxGrantLifetime), options.MaxGrantLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        foreach (var origin in options.AllowedOrigins.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out var u) || u.AbsolutePath != "/" || o.EndsWith('/')))
        {
            errors.Add(nameof(options.AllowedOrigins), $"has \"{origin}\", which is not an origin such as https://app.example.com.");
        }

        errors.Require(options.FunAsr is FunAsrAuthModes.Token or FunAsrAuthModes.Network, nameof(options.FunAsr), $"must be token or network (was \"{options.FunAsr}\").");
        foreach (var network in options.FunAsrNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            errors.Add(nameof(options.FunAsrNetworks), $"has \"{network}\", which is not a CIDR block such as 10.0.0.0/8.");
        }

        return errors.Result();
    }
}
