using System.Globalization;

namespace Gateway.Core.Segmentation;

/// <summary>The segmentation settings of one session: server defaults with the session's validated overrides applied.</summary>
public sealed record SegmenterSettings
{
    public double Threshold { get; init; } = 0.5;

    public double NegThreshold { get; init; } = 0.35;

    public int MinSpeechMs { get; init; } = 250;

    public int EndpointSilenceMs { get; init; } = 500;

    public int MaxSegmentMs { get; init; } = 30_000;

    public int PreRollMs { get; init; } = 250;

    public int PostRollMs { get; init; } = 150;

    /// <summary><see cref="SegmenterOptions.CloseAtSpeechEnd"/> (a server setting; sessions cannot change it).</summary>
    public bool CloseAtSpeechEnd { get; init; }

    /// <summary>The server defaults, without overrides.</summary>
    public static SegmenterSettings FromOptions(SegmenterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SegmenterSettings
        {
            Threshold = options.Threshold,
            NegThreshold = options.NegThreshold ?? DefaultNegThreshold(options.Threshold),
            MinSpeechMs = options.MinSpeechMs,
            EndpointSilenceMs = options.EndpointSilenceMs,
            MaxSegmentMs = options.MaxSegmentMs,
            PreRollMs = options.PreRollMs,
            PostRollMs = options.PostRollMs,
            CloseAtSpeechEnd = options.CloseAtSpeechEnd,
        };
    }

    /// <summary>
    /// Applies a session's overrides within the server's <see cref="SegmenterOptions.Bounds"/>. Returns false with
    /// a message naming the first offending setting (for example
    /// <c>endpoint_silence_ms must be between 100 and 5000 (was 50).</c>) for the endpoint to send back.
    /// </summary>
    public static bool TryResolve(SegmenterOptions options, SegmenterOverrides? overrides, out SegmenterSettings settings, out string? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = FromOptions(options);
        error = null;
        if (overrides is null)
        {
            return true;
        }

        var bounds = options.Bounds;
        var threshold = overrides.Threshold ?? options.Threshold;
        var negThreshold = overrides.NegThreshold ?? options.NegThreshold ?? DefaultNegThreshold(threshold);
        var endpoint = overrides.EndpointSilenceMs ?? options.EndpointSilenceMs;
        error =
            OutOfRange("threshold", overrides.Threshold, bounds.ThresholdMin, bounds.ThresholdMax)
            ?? OutOfRange("neg_threshold", overrides.NegThreshold, 0.01, threshold)
            ?? OutOfRange("min_speech_ms", overrides.MinSpeechMs, 0, bounds.MinSpeechMsMax)
            ?? OutOfRange("endpoint_silence_ms", overrides.EndpointSilenceMs, bounds.EndpointSilenceMsMin, bounds.EndpointSilenceMsMax)
            ?? OutOfRange("max_segment_ms", overrides.MaxSegmentMs, bounds.MaxSegmentMsMin, bounds.MaxSegmentMsMax)
            ?? OutOfRange("pre_roll_ms", overrides.PreRollMs, 0, bounds.PreRollMsMax)
            ?? OutOfRange("post_roll_ms", overrides.PostRollMs, 0, Math.Min(bounds.PostRollMsMax, endpoint));
        if (error is null && negThreshold > threshold)
        {
            // Only reachable when the session lowers the threshold below the server's explicit neg threshold.
            error = Format($"threshold must be at least neg_threshold {negThreshold} (was {threshold}).");
        }

        var postRoll = overrides.PostRollMs ?? options.PostRollMs;
        if (error is null && postRoll > endpoint)
        {
            error = Format($"endpoint_silence_ms must be at least post_roll_ms {postRoll} (was {endpoint}).");
        }

        var minSpeech = overrides.MinSpeechMs ?? options.MinSpeechMs;
        var maxSegment = overrides.MaxSegmentMs ?? options.MaxSegmentMs;
        if (error is null && minSpeech >= maxSegment)
        {
            error = Format($"min_speech_ms must be less than max_segment_ms {maxSegment} (was {minSpeech}).");
        }

        if (error is not null)
        {
            return false;
        }

        settings = new SegmenterSettings
        {
            Threshold = threshold,
            NegThreshold = negThreshold,
            MinSpeechMs = minSpeech,
            EndpointSilenceMs = endpoint,
            MaxSegmentMs = maxSegment,
            PreRollMs = overrides.PreRollMs ?? options.PreRollMs,
            PostRollMs = overrides.PostRollMs ?? options.PostRollMs,
            CloseAtSpeechEnd = options.CloseAtSpeechEnd,
        };
        return true;
    }

    internal static double DefaultNegThreshold(double threshold) => Math.Max(0.01, threshold - 0.15);

    private static string? OutOfRange(string name, double? value, double min, double max) =>
        value is { } v && (double.IsNaN(v) || v < min || v > max)
            ? Format($"{name} must be between {min} and {max} (was {v}).")
            : null;

    private static string? OutOfRange(string name, int? value, int min, int max) =>
        value is { } v && (v < min || v > max)
            ? Format($"{name} must be between {min} and {max} (was {v}).")
            : null;

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
