using Gateway.Core.Jobs;
using Gateway.Core.Net;

namespace Gateway.UnitTests.Jobs;

public sealed class JobsOptionsValidatorTests
{
    [Fact]
    public void Validate_SeveralInvalidValues_ReportsEveryOneWithItsKey()
    {
        var result = new JobsOptionsValidator().Validate(null, new JobsOptions
        {
            MaxUploadBytes = 4096,
            DiskQuotaBytes = 2048,
            MaxSegmentsInFlightPerJob = 0,
            LeaseTimeout = TimeSpan.Zero,
            CallbackAttempts = 11,
        });

        Assert.Equal(
            [
                "Jobs:MaxSegmentsInFlightPerJob must be between 1 and 64 (was 0).",
                "Jobs:LeaseTimeout must be between 00:00:01 and 01:00:00 (was 00:00:00).",
                "Jobs:CallbackAttempts must be between 1 and 10 (was 11).",
                "Jobs:DiskQuotaBytes must be at least Jobs:MaxUploadBytes 4096 (was 2048).",
            ],
            result.Failures);
    }

    [Fact]
    public void Validate_OutboundSchemeOtherThanHttp_Refused()
    {
        var result = new OutboundUrlOptionsValidator().Validate(null, new OutboundUrlOptions { AllowedSchemes = ["https", "file"] });

        Assert.Equal(["Outbound:AllowedSchemes may hold only http and https (was 'file')."], result.Failures);
    }
}
