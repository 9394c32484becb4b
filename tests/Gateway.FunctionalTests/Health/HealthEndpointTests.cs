using System.Net;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.FunctionalTests.Health;

public sealed class HealthEndpointTests
{
    [Fact(Timeout = 60_000)]
    public async Task Healthz_AndReadyz_AnswerOkWhenEveryReadinessCheckPasses()
    {
        await using var gateway = await TestGateway.StartAsync();

        Assert.Equal("Healthy", await gateway.GetStringAsync("/healthz"));
        Assert.StartsWith("Healthy", await gateway.GetStringAsync("/readyz"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Readyz_AContributorUnhealthy_Answers503AndNamesIt_WhileHealthzStaysUp()
    {
        await using var gateway = await TestGateway.StartAsync(configure: builder =>
            builder.Services.AddHealthChecks().AddCheck("extra", () => HealthCheckResult.Unhealthy("no endpoint reachable"), ["ready"]));
        using var http = new HttpClient { BaseAddress = gateway.Http };

        var ready = await http.GetAsync("/readyz");
        var live = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("extra: Unhealthy - no endpoint reachable", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Metrics_AfterASession_ExposesAdmissionCountersInPrometheusFormat()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using (var client = await StreamClient.ConnectAsync(gateway.Stream()))
        {
            await client.StartAsync();
            await client.SendAudioAsync(Audio.Pcm16(100));
            await client.SendJsonAsync(new { type = "close" });
            await client.ReceiveUntilClosedAsync();
        }

        // The close frame reaches the client before the session's end is recorded (audio counted, slot released):
        // wait for the last thing recorded, then read once.
        await Compat.Metrics.WaitForAsync(gateway, "gateway_admission_active 0\n");
        using var http = new HttpClient { BaseAddress = gateway.Http };
        var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("# TYPE gateway_admission_admitted_total counter", text);
        Assert.Contains("gateway_admission_admitted_total 1", text);
        Assert.Contains("gateway_admission_disconnected_total{reason=\"client_closed\"} 1", text);
        Assert.Contains("gateway_audio_samples_total 1600", text);
        Assert.Contains("gateway_admission_active 0", text);
    }
}
