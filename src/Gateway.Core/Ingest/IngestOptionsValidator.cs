using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Ingest;

public sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    /// <summary>Protocols that read the gateway's own disk or memory; never fetched on a caller's behalf.</summary>
    internal static readonly string[] LocalProtocols = ["file", "concat", "concatf", "subfile", "pipe", "data", "fd", "cache", "async", "crypto", "gopher", "unix"];

    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var errors = new OptionsErrors(IngestOptions.Section);
        errors.Range(nameof(options.MaxIngests), options.MaxIngests, 1, 1000);
        errors.Range(nameof(options.StallTimeout), options.StallTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        errors.Range(nameof(options.InitialBackoff), options.InitialBackoff, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5));
        errors.Range(nameof(options.MaxBackoff), options.MaxBackoff, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        errors.Range(nameof(options.MaxAttempts), options.MaxAttempts, 0, 1_000_000);
        errors.Range(nameof(options.MaxCues), options.MaxCues, 10, 1_000_000);
        errors.Range(nameof(options.SubtitleSegment), options.SubtitleSegment, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        errors.Range(nameof(options.SubtitleLatency), options.SubtitleLatency, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        errors.Range(nameof(options.SubtitleWindow), options.SubtitleWindow, 1, 1000);
        errors.Require(options.MaxBackoff >= options.InitialBackoff, nameof(options.MaxBackoff), $"must be at least Ingests:InitialBackoff ({options.InitialBackoff:c}) (was {options.MaxBackoff:c}).");
        errors.Require(!string.IsNullOrWhiteSpace(options.FfmpegPath), nameof(options.FfmpegPath), "must name the ffmpeg executable.");
        foreach (var scheme in options.Schemes)
        {
            errors.Require(!LocalProtocols.Contains(scheme, StringComparer.OrdinalIgnoreCase), nameof(options.AllowedSchemes), $"must not contain the local protocol \"{scheme}\".");
            errors.Require(scheme.Length > 0 && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'), nameof(options.AllowedSchemes), $"contains an invalid scheme \"{scheme}\".");
        }

        for (var i = 0; i < options.Sources.Count; i++)
        {
            errors.Require(Uri.TryCreate(options.Sources[i].Url, UriKind.Absolute, out _), $"Sources:{i}:Url", "must be an absolute URL.");
        }

        errors.Require(options.Sources.Count <= options.MaxIngests, nameof(options.Sources), $"declares {options.Sources.Count} ingests, more than Ingests:MaxIngests ({options.MaxIngests}).");
        return errors.Result();
    }
}
