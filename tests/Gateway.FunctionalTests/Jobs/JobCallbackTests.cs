using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Core.Jobs;
using Gateway.Core.Net;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>Callbacks: the result POSTed with an HMAC signature, retried after a 5xx, and the SSRF policy in front.</summary>
public sealed class JobCallbackTests
{
    [Fact(Timeout = 60_000)]
    public async Task Callback_FirstAttempt503_RetriedAndSigned()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        using var media = new JobMedia();
        var received = new List<(string Body, string? Signature)>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await StartReceiverAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            int count;
            lock (received)
            {
                received.Add((body, context.Request.Headers[JobCallbacks.SignatureHeader]));
                count = received.Count;
            }

            context.Response.StatusCode = count == 1 ? 503 : 200;
            if (count == 2)
            {
                second.TrySetResult();
            }
        });
        var settings = FileTranscriberTests.Settings(media);
        settings["Jobs:CallbackSecret"] = "s3cret";
        settings["Outbound:AllowPrivateNetworks"] = "true"; // the receiver is on loopback
        await using var gateway = await TestGateway.StartAsync(settings);
        using var api = new JobApi(gateway.Http);

        using var submit = await api.SubmitAsync(media.Wav(), "speech.wav", ("callback_url", Address(receiver) + "hook?token=abc"));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        await second.Task.WaitAsync(deadline.Token);

        Assert.Equal(2, received.Count);
        var (body, signature) = received[1];
        Assert.Equal(JobCallbacks.Sign("s3cret", Encoding.UTF8.GetBytes(body)), signature);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("done", json.GetProperty("status").GetString());
        Assert.Equal(3, json.GetProperty("sentences").GetArrayLength());
        Assert.Equal(received[0].Body, body);
    }

    [Fact(Timeout = 60_000)]
    public async Task Callback_ToLoopbackByDefault_Refused422WithoutCredentialsInTheMessage()
    {
        using var media = new JobMedia();
        var settings = FileTranscriberTests.Settings(media);
        settings["Jobs:CallbackSecret"] = "s3cret";
        await using var gateway = await TestGateway.StartAsync(settings);
        using var api = new JobApi(gateway.Http);

        using var submit = await api.SubmitAsync(media.Wav(), "speech.wav", ("callback_url", "http://user:pw@127.0.0.1:9/hook?token=abc"));

        Assert.Equal(
            (422, "callback_url refused: http://127.0.0.1:9/hook points at a private, loopback or link-local address"),
            await JobApi.ProblemAsync(submit));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700::1111", true)]
    public void IsAllowed_DefaultPolicy_DeniesPrivateRanges(string address, bool allowed)
    {
        var policy = new OutboundUrlPolicy(Microsoft.Extensions.Options.Options.Create(new OutboundUrlOptions()));

        Assert.Equal(allowed, policy.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Handler_NameResolvingToLoopback_RefusedAtConnect()
    {
        var policy = new OutboundUrlPolicy(Microsoft.Extensions.Options.Options.Create(new OutboundUrlOptions()));
        using var http = new HttpClient(policy.CreateHandler());

        Assert.True(policy.TryValidate("http://localhost:9/x", out _, out _)); // the name passes the form check...
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://localhost:9/x"));
        Assert.Contains("resolves only to addresses the outbound policy refuses", error.ToString(), StringComparison.Ordinal); // ...its address does not
    }

    private static async Task<WebApplication> StartReceiverAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/";
}
