using Gateway.Upstream.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream.Tests.Configuration;

public class UpstreamOptionsValidatorTests
{
    [Fact]
    public void Validate_BadUrl_NamesFullKey()
    {
        var options = new UpstreamOptions();
        options.Endpoints.Add(new UpstreamEndpointOptions { Url = "x" });

        var result = new UpstreamOptionsValidator().Validate(null, options);

        Assert.Contains("Upstream:Endpoints:0:Url must be a ws:// or wss:// URL (was 'x').", result.Failures!);
    }

    [Fact]
    public void Validate_ManyProblems_ReportsAllAtOnce()
    {
        var options = new UpstreamOptions { SelectionPolicy = "Fastest", AcquireTimeout = TimeSpan.Zero };
        var e = new UpstreamEndpointOptions { Url = "http://h", Flavour = "funasr-x", MinIdle = 5, MaxConnections = 2 };
        e.ChunkSize.Add(5);
        e.Tls.PinnedThumbprint = "abc";
        options.Endpoints.Add(e);

        var failures = new UpstreamOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(7, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Upstream:SelectionPolicy must be one of", StringComparison.Ordinal));
        Assert.Contains("Upstream:AcquireTimeout must be positive (was 00:00:00).", failures);
        Assert.Contains(failures, f => f.StartsWith("Upstream:Endpoints:0:Flavour", StringComparison.Ordinal));
        Assert.Contains("Upstream:Endpoints:0:MinIdle must be between 0 and MaxConnections (2) (was 5).", failures);
        Assert.Contains(failures, f => f.StartsWith("Upstream:Endpoints:0:ChunkSize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Upstream:Endpoints:0:Tls:PinnedThumbprint", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PoolBoundsAndRecoveryProbe_ExactMessages()
    {
        var options = new UpstreamOptions
        {
            MaxHotwordSets = 0,
            RecoveryProbeInitialDelay = TimeSpan.FromSeconds(1),
            RecoveryProbeMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        options.Endpoints.Add(new UpstreamEndpointOptions { Url = "ws://h/" });

        var failures = new UpstreamOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Upstream:MaxHotwordSets must be at least 1 (was 0).",
                "Upstream:RecoveryProbeMaxDelay must be at least RecoveryProbeInitialDelay (00:00:01) (was 00:00:00.5000000).",
            ],
            failures);
    }

    [Fact]
    public void Validate_AdaptiveLimit_ExactMessages()
    {
        var options = new UpstreamOptions { FinalTimeout = TimeSpan.FromSeconds(3) };
        options.AdaptiveLimit.Enabled = true;
        options.AdaptiveLimit.LatencyThreshold = TimeSpan.FromSeconds(3);
        options.AdaptiveLimit.BackoffRatio = 1;
        options.Endpoints.Add(new UpstreamEndpointOptions { Url = "ws://h/" });

        var failures = new UpstreamOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Upstream:AdaptiveLimit:LatencyThreshold must be below FinalTimeout (00:00:03) (was 00:00:03).",
                "Upstream:AdaptiveLimit:BackoffRatio must be at least 0.5 and below 1 (was 1).",
            ],
            failures);

        options.AdaptiveLimit.LatencyThreshold = TimeSpan.Zero;
        options.AdaptiveLimit.BackoffRatio = 0.4;
        failures = new UpstreamOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Upstream:AdaptiveLimit:LatencyThreshold must be positive (was 00:00:00).",
                "Upstream:AdaptiveLimit:BackoffRatio must be at least 0.5 and below 1 (was 0.4).",
            ],
            failures);

        // Off: a short FinalTimeout with the default threshold is no error.
        options.AdaptiveLimit.Enabled = false;
        options.AdaptiveLimit.LatencyThreshold = TimeSpan.FromSeconds(2);
        options.AdaptiveLimit.BackoffRatio = 0.9;
        options.FinalTimeout = TimeSpan.FromMilliseconds(300);
        Assert.True(new UpstreamOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact(Timeout = 5000)]
    public async Task AddFunAsrUpstream_BindsAdaptiveLimit()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upstream:Endpoints:0:Url"] = "ws://asr:10096/",
            ["Upstream:AdaptiveLimit:Enabled"] = "true",
            ["Upstream:AdaptiveLimit:LatencyThreshold"] = "00:00:01.500",
            ["Upstream:AdaptiveLimit:BackoffRatio"] = "0.8",
        }).Build();
        await using var services = new ServiceCollection().AddFunAsrUpstream(config.GetSection("Upstream")).BuildServiceProvider();

        var adaptive = services.GetRequiredService<IOptions<UpstreamOptions>>().Value.AdaptiveLimit;

        Assert.True(adaptive.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), adaptive.LatencyThreshold);
        Assert.Equal(0.8, adaptive.BackoffRatio);
    }

    [Fact(Timeout = 5000)]
    public async Task AddFunAsrUpstream_BindsSection_ChunkSizeNotAppendedToDefault()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upstream:Endpoints:0:Url"] = "wss://asr:10096/",
            ["Upstream:Endpoints:0:ChunkSize:0"] = "8",
            ["Upstream:Endpoints:0:ChunkSize:1"] = "8",
            ["Upstream:Endpoints:0:ChunkSize:2"] = "4",
            ["Upstream:Endpoints:0:Tls:AcceptAnyCertificate"] = "true",
            ["Upstream:FinalTimeout"] = "00:00:20",
        }).Build();
        await using var services = new ServiceCollection().AddFunAsrUpstream(config.GetSection("Upstream")).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<UpstreamOptions>>().Value;

        Assert.Equal([8, 8, 4], options.Endpoints[0].ChunkSize);
        Assert.True(options.Endpoints[0].Tls.AcceptAnyCertificate);
        Assert.Equal(TimeSpan.FromSeconds(20), options.FinalTimeout);
        Assert.NotNull(services.GetRequiredService<UpstreamClient>());
        Assert.Contains(services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s.GetType().Name == "UpstreamWarmUpService");
    }

    [Fact(Timeout = 5000)]
    public async Task AddFunAsrUpstream_HostBindsItself_EndpointsBoundOnce()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upstream:Endpoints:0:Url"] = "ws://asr:10096/",
        }).Build();
        var services = new ServiceCollection();
        services.AddOptions<UpstreamOptions>().Configure(o => config.GetSection("Upstream").Bind(o));
        services.AddFunAsrUpstream().AddFunAsrUpstream();
        await using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetRequiredService<IOptions<UpstreamOptions>>().Value.Endpoints);
        Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>());
        Assert.Single(provider.GetServices<IValidateOptions<UpstreamOptions>>());
    }

    [Fact]
    public void AddFunAsrUpstream_UnknownKey_FailsBinding()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upstream:Endpoints:0:Url"] = "ws://asr:10096/",
            ["Upstream:Endpoints:0:MaxConnection"] = "3",
        }).Build();
        using var services = new ServiceCollection().AddFunAsrUpstream(config.GetSection("Upstream")).BuildServiceProvider();

        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<UpstreamOptions>>().Value);
    }
}
