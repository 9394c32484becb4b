using System.Globalization;
using Gateway.Upstream.WebSockets;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream.Configuration;

/// <summary>Validates <see cref="UpstreamOptions"/>, every problem at once, each with its full key.</summary>
public sealed class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>
{
    private static readonly string[] Modes = ["2pass", "online", "offline"];

    public ValidateOptionsResult Validate(string? name, UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        void Add(string key, string problem) => errors.Add($"{UpstreamOptions.SectionName}:{key} {problem}");
        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                Add(key, string.Create(CultureInfo.InvariantCulture, $"must be positive (was {value:c})."));
            }
        }

        void AtLeast(string key, long value, long min)
        {
            if (value < min)
            {
                Add(key, string.Create(CultureInfo.InvariantCulture, $"must be at least {min} (was {value})."));
            }
        }

        if (options.Endpoints.Count == 0)
        {
            Add("Endpoints", "must list at least one FunASR server.");
        }

        if (!UpstreamSelectionPolicies.All.Contains(options.SelectionPolicy))
        {
            Add("SelectionPolicy", $"must be one of {string.Join(", ", UpstreamSelectionPolicies.All)} (was '{options.SelectionPolicy}').");
        }

        Positive(nameof(options.AcquireTimeout), options.AcquireTimeout);
        Positive(nameof(options.ConnectTimeout), options.ConnectTimeout);
        Positive(nameof(options.IdleProbeAfter), options.IdleProbeAfter);
        Positive(nameof(options.ProbeTimeout), options.ProbeTimeout);
        Positive(nameof(options.IdleEvictAfter), options.IdleEvictAfter);
        Positive(nameof(options.FinalTimeout), options.FinalTimeout);
        Positive(nameof(options.MaxUtteranceDuration), options.MaxUtteranceDuration);
        AtLeast(nameof(options.QueueLimit), options.QueueLimit, 0);
        AtLeast(nameof(options.MaxUtterancesPerConnection), options.MaxUtterancesPerConnection, 1);
        AtLeast(nameof(options.BreakerFailureThreshold), options.BreakerFailureThreshold, 1);
        AtLeast(nameof(options.MaxMessageBytes), options.MaxMessageBytes, 1024);
        AtLeast(nameof(options.MaxHotwordSets), options.MaxHotwordSets, 1);
        Positive(nameof(options.RecoveryProbeInitialDelay), options.RecoveryProbeInitialDelay);
        if (options.RecoveryProbeMaxDelay < options.RecoveryProbeInitialDelay)
        {
            Add(nameof(options.RecoveryProbeMaxDelay), string.Create(
                CultureInfo.InvariantCulture,
                $"must be at least RecoveryProbeInitialDelay ({options.RecoveryProbeInitialDelay:c}) (was {options.RecoveryProbeMaxDelay:c})."));
        }
        var adaptive = options.AdaptiveLimit;
        Positive("AdaptiveLimit:LatencyThreshold", adaptive.LatencyThreshold);
        if (adaptive.Enabled && adaptive.LatencyThreshold >= options.FinalTimeout)
        {
            Add("AdaptiveLimit:LatencyThreshold", string.Create(
                CultureInfo.InvariantCulture,
                $"must be below FinalTimeout ({options.FinalTimeout:c}) (was {adaptive.LatencyThreshold:c})."));
        }

        if (!(adaptive.BackoffRatio is >= 0.5 and < 1))
        {
            Add("AdaptiveLimit:BackoffRatio", string.Create(
                CultureInfo.InvariantCulture, $"must be at least 0.5 and below 1 (was {adaptive.BackoffRatio})."));
        }

        if (string.IsNullOrEmpty(options.WavNamePrefix) || options.WavNamePrefix.Length > 32
            || !options.WavNamePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            Add(nameof(options.WavNamePrefix), $"must be 1-32 letters, digits, '-' or '_' (was '{options.WavNamePrefix}').");
        }

        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var e = options.Endpoints[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"Endpoints:{i}:");
            if (!Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            {
                Add(key + "Url", $"must be a ws:// or wss:// URL (was '{e.Url}').");
            }

            if (!FunAsrFlavours.All.Contains(e.Flavour))
            {
                Add(key + "Flavour", $"must be one of {string.Join(", ", FunAsrFlavours.All)} (was '{e.Flavour}').");
            }

            if (!Modes.Contains(e.Mode))
            {
                Add(key + "Mode", $"must be one of {string.Join(", ", Modes)} (was '{e.Mode}').");
            }

            if (e.ChunkSize.Count != 0 && (e.ChunkSize.Count != 3 || e.ChunkSize[1] <= 0 || e.ChunkSize[0] < 0 || e.ChunkSize[2] < 0))
            {
                Add(key + "ChunkSize", $"must be three non-negative ints with a positive middle, e.g. [5, 10, 5] (was [{string.Join(", ", e.ChunkSize)}]).");
            }

            AtLeast(key + "ChunkInterval", e.ChunkInterval, 1);
            AtLeast(key + "MaxConnections", e.MaxConnections, 1);
            if (e.MinIdle < 0 || e.MinIdle > e.MaxConnections)
            {
                Add(key + "MinIdle", string.Create(CultureInfo.InvariantCulture, $"must be between 0 and MaxConnections ({e.MaxConnections}) (was {e.MinIdle})."));
            }

            if (e.Tls.PinnedThumbprint is { Length: > 0 } pin && !TlsTrust.IsValidThumbprint(pin))
            {
                Add(key + "Tls:PinnedThumbprint", $"must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint (was '{pin}').");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
