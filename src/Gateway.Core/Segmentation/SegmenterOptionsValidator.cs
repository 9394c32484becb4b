using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Segmentation;

/// <summary>Start-up validation of <see cref="SegmenterOptions"/>: every value in range and the defaults inside the override bounds.</summary>
public sealed class SegmenterOptionsValidator : IValidateOptions<SegmenterOptions>
{
    public const string Section = "Segmenter";

    public ValidateOptionsResult Validate(string? name, SegmenterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new OptionsErrors(Section);
        var b = options.Bounds;
        errors.Range("Bounds:ThresholdMin", b.ThresholdMin, 0.01, 0.99);
        errors.Range("Bounds:ThresholdMax", b.ThresholdMax, b.ThresholdMin, 0.99);
        errors.Range("Bounds:MinSpeechMsMax", b.MinSpeechMsMax, 0, 10_000);
        errors.Range("Bounds:EndpointSilenceMsMin", b.EndpointSilenceMsMin, 32, 10_000);
        errors.Range("Bounds:EndpointSilenceMsMax", b.EndpointSilenceMsMax, b.EndpointSilenceMsMin, 10_000);
        errors.Range("Bounds:MaxSegmentMsMin", b.MaxSegmentMsMin, 500, 600_000);
        errors.Range("Bounds:MaxSegmentMsMax", b.MaxSegmentMsMax, b.MaxSegmentMsMin, 600_000);
        errors.Range("Bounds:PreRollMsMax", b.PreRollMsMax, 0, 10_000);
        errors.Range("Bounds:PostRollMsMax", b.PostRollMsMax, 0, 10_000);

        errors.Range(nameof(SegmenterOptions.Threshold), options.Threshold, b.ThresholdMin, b.ThresholdMax);
        if (options.NegThreshold is { } neg)
        {
            errors.Range(nameof(SegmenterOptions.NegThreshold), neg, 0.01, options.Threshold);
        }

        errors.Range(nameof(SegmenterOptions.MinSpeechMs), options.MinSpeechMs, 0, b.MinSpeechMsMax);
        errors.Range(nameof(SegmenterOptions.EndpointSilenceMs), options.EndpointSilenceMs, b.EndpointSilenceMsMin, b.EndpointSilenceMsMax);
        errors.Range(nameof(SegmenterOptions.MaxSegmentMs), options.MaxSegmentMs, b.MaxSegmentMsMin, b.MaxSegmentMsMax);
        errors.Range(nameof(SegmenterOptions.PreRollMs), options.PreRollMs, 0, b.PreRollMsMax);
        errors.Range(nameof(SegmenterOptions.PostRollMs), options.PostRollMs, 0, Math.Min(b.PostRollMsMax, options.EndpointSilenceMs));
        errors.Require(options.MinSpeechMs < options.MaxSegmentMs, nameof(SegmenterOptions.MinSpeechMs), "must be less than MaxSegmentMs.");
        errors.Require(
            !options.CloseAtSpeechEnd || options.PostRollMs < options.EndpointSilenceMs,
            nameof(SegmenterOptions.CloseAtSpeechEnd),
            "needs PostRollMs less than EndpointSilenceMs (the speech end is decided one post-roll after the silence starts).");
        return errors.Result();
    }
}
