using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Segmentation;

public sealed class SegmenterSettingsTests
{
    [Fact]
    public void TryResolve_NoOverrides_ServerDefaults()
    {
        Assert.True(SegmenterSettings.TryResolve(new SegmenterOptions(), null, out var settings, out var error));

        Assert.Null(error);
        Assert.Equal(new SegmenterSettings(), settings);
        Assert.Equal(0.35, settings.NegThreshold, 6);
    }

    [Fact]
    public void TryResolve_OverridesInBounds_Applied()
    {
        var overrides = new SegmenterOverrides { Threshold = 0.7, EndpointSilenceMs = 800, PreRollMs = 100 };

        Assert.True(SegmenterSettings.TryResolve(new SegmenterOptions(), overrides, out var settings, out _));

        Assert.Equal(0.7, settings.Threshold);
        Assert.Equal(0.55, settings.NegThreshold, 6); // follows the session's threshold
        Assert.Equal(800, settings.EndpointSilenceMs);
        Assert.Equal(100, settings.PreRollMs);
        Assert.Equal(30_000, settings.MaxSegmentMs);
    }

    [Theory]
    [InlineData(50, null, "endpoint_silence_ms must be between 100 and 5000 (was 50).")]
    [InlineData(null, 0.99, "threshold must be between 0.1 and 0.95 (was 0.99).")]
    [InlineData(120, null, "endpoint_silence_ms must be at least post_roll_ms 150 (was 120).")]
    public void TryResolve_OutOfBounds_ClearError(int? endpointMs, double? threshold, string expected)
    {
        var overrides = new SegmenterOverrides { EndpointSilenceMs = endpointMs, Threshold = threshold };

        Assert.False(SegmenterSettings.TryResolve(new SegmenterOptions(), overrides, out var settings, out var error));

        Assert.Equal(expected, error);
        Assert.Equal(new SegmenterSettings(), settings); // the defaults, never a half-applied mix
    }

    [Fact]
    public void TryResolve_MinSpeechNotBelowMaxSegment_ClearError()
    {
        var overrides = new SegmenterOverrides { MinSpeechMs = 1_500, MaxSegmentMs = 1_200 };

        Assert.False(SegmenterSettings.TryResolve(new SegmenterOptions(), overrides, out _, out var error));

        Assert.Equal("min_speech_ms must be less than max_segment_ms 1200 (was 1500).", error);
    }

    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new SegmenterOptionsValidator().Validate(null, new SegmenterOptions()).Succeeded);

    [Fact]
    public void Validate_BadValues_ReportsEveryKey()
    {
        var options = new SegmenterOptions { Threshold = 1.5, EndpointSilenceMs = 100, PostRollMs = 200, MaxSegmentMs = 100 };
        // MaxSegmentMs 100 is also below MinSpeechMs (250): reported as well, all at once.

        var result = new SegmenterOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Segmenter:Threshold must be between 0.1 and 0.95 (was 1.5).",
                "Segmenter:MaxSegmentMs must be between 1000 and 60000 (was 100).",
                "Segmenter:PostRollMs must be between 0 and 100 (was 200).",
                "Segmenter:MinSpeechMs must be less than MaxSegmentMs.",
            ],
            result.Failures);
    }

    [Fact]
    public void Validate_CloseAtSpeechEndWithPostRollAtTheEndpoint_ReportsIt()
    {
        var options = new SegmenterOptions { CloseAtSpeechEnd = true, EndpointSilenceMs = 300, PostRollMs = 300 };

        var result = new SegmenterOptionsValidator().Validate(null, options);

        Assert.Equal(
            ["Segmenter:CloseAtSpeechEnd needs PostRollMs less than EndpointSilenceMs (the speech end is decided one post-roll after the silence starts)."],
            result.Failures);
        Assert.True(new SegmenterOptionsValidator().Validate(null, new SegmenterOptions { CloseAtSpeechEnd = true }).Succeeded);
    }

    [Fact]
    public void TryResolve_WithOverrides_KeepsTheServersCloseAtSpeechEnd()
    {
        Assert.True(SegmenterSettings.TryResolve(
            new SegmenterOptions { CloseAtSpeechEnd = true }, new SegmenterOverrides { EndpointSilenceMs = 800 }, out var settings, out _));
        Assert.True(settings.CloseAtSpeechEnd);
        Assert.Equal(800, settings.EndpointSilenceMs);
    }
}
