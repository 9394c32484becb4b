using Gateway.Upstream.Pooling;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Upstream.Tests.Pooling;

/// <summary>The AIMD rule on final latency, on a fake clock: cut when finals come late, grow back when on time, within [1, max].</summary>
public sealed class AdaptiveLimitTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();

    private AdaptiveLimit Create(int max = 32) => new(max, Threshold, 0.9, _time);

    [Fact]
    public void OnFinal_LateFinal_CutsToInFlightTimesThresholdOverLatency()
    {
        var limit = Create();
        var leased = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));

        // 20 in flight, final 4 s late against a 2 s threshold: 20 * 2/4 = 10.
        Assert.Equal(10, limit.OnFinal(leased, TimeSpan.FromSeconds(4), inFlight: 20));
        Assert.Equal(10, limit.Current);
    }

    [Fact]
    public void OnFinal_SlightlyLate_CutsAtLeastByBackoffRatio_AndVeryLateAtMostToHalf()
    {
        var limit = Create();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(18, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromSeconds(2.1), inFlight: 20)); // 20 * 0.9
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(9, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromSeconds(60), inFlight: 20)); // min(18, 20) * 0.5
    }

    [Fact]
    public void OnFinal_LateFinalsOfLeasesBeforeTheCut_DoNotCutAgain()
    {
        var limit = Create();
        var before = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(16, limit.OnFinal(before, TimeSpan.FromSeconds(10), inFlight: 32));

        // The other 31 utterances leased before the cut report late too: they tell of the old limit.
        for (var i = 0; i < 31; i++)
        {
            Assert.Equal(16, limit.OnFinal(before, TimeSpan.FromSeconds(10), inFlight: 32 - i));
        }

        // One leased after the cut and still late cuts again.
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var after = _time.GetTimestamp();
        Assert.Equal(8, limit.OnFinal(after, TimeSpan.FromSeconds(10), inFlight: 16));
    }

    [Fact]
    public void OnFinal_ManyLateFinals_NeverBelowOne()
    {
        var limit = Create();
        for (var i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromSeconds(14), inFlight: limit.Current) >= 1);
        }

        Assert.Equal(1, limit.Current);
    }

    [Fact]
    public void OnFinal_OnTimeFinalsWhileTheLimitIsUsed_GrowBackByOne_NeverAboveMax()
    {
        var limit = Create(max: 8);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromSeconds(5), inFlight: 8));

        Assert.Equal(5, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromMilliseconds(300), inFlight: 4));
        Assert.Equal(6, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromMilliseconds(300), inFlight: 5));
        for (var i = 0; i < 20; i++)
        {
            limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromMilliseconds(300), inFlight: 8);
        }

        Assert.Equal(8, limit.Current);
    }

    [Fact]
    public void OnFinal_OnTimeButNearTheThreshold_GrowsByOnePerLimitsWorthOfFinals()
    {
        var limit = Create();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromSeconds(5), inFlight: 8));

        var nearly = TimeSpan.FromSeconds(1.5); // on time, but past half the threshold
        Assert.Equal(4, limit.OnFinal(_time.GetTimestamp(), nearly, inFlight: 4));
        Assert.Equal(4, limit.OnFinal(_time.GetTimestamp(), nearly, inFlight: 4));
        Assert.Equal(4, limit.OnFinal(_time.GetTimestamp(), nearly, inFlight: 4));
        Assert.Equal(5, limit.OnFinal(_time.GetTimestamp(), nearly, inFlight: 4));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(5, limit.OnFinal(_time.GetTimestamp(), nearly, inFlight: 5));
        }

        Assert.Equal(6, limit.OnFinal(_time.GetTimestamp(), nearly, inFlight: 5));
    }

    [Fact]
    public void OnFinal_OnTimeFinalsWithLittleInFlight_DoNotGrow()
    {
        var limit = Create();
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromSeconds(4), inFlight: 20));

        // Under half the limit in use: an on-time final says nothing about more.
        Assert.Equal(10, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromMilliseconds(100), inFlight: 4));
        Assert.Equal(11, limit.OnFinal(_time.GetTimestamp(), TimeSpan.FromMilliseconds(100), inFlight: 5));
    }
}
