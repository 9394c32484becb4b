using Gateway.Core.Fetching;

namespace Gateway.UnitTests.Fetching;

public sealed class FetchOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() => Assert.True(new FetchOptionsValidator().Validate(null, new FetchOptions()).Succeeded);

    [Fact]
    public void Validate_EveryError_ReportedAtOnce()
    {
        var result = new FetchOptionsValidator().Validate(null, new FetchOptions { Timeout = TimeSpan.Zero, MaxRedirects = 11 });

        Assert.Equal(
            [
                "Fetch:Timeout must be between 00:00:01 and 00:30:00 (was 00:00:00).",
                "Fetch:MaxRedirects must be between 0 and 10 (was 11).",
            ],
            result.Failures);
    }
}
