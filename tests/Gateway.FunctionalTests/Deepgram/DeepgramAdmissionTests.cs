using System.Net;
using System.Net.WebSockets;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>
/// A full gateway refuses <c>/v1/listen</c> at the handshake with HTTP 429, as Deepgram does over its concurrency
/// limit (protocols/deepgram.md §1), not with a WebSocket closed after the upgrade; sessions already running go on.
/// </summary>
public sealed class DeepgramAdmissionTests
{
    private const string Linear16 = "/v1/listen?encoding=linear16&sample_rate=16000";

    [Fact(Timeout = 30_000)]
    public async Task Full_Handshake429WithRetryAfterDgErrorAndRequestId_RunningSessionUnaffected()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "1" });
        await using var running = await DeepgramRawClient.ConnectAsync(gateway.Stream(Linear16));

        var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Linear16));

        Assert.Equal((HttpStatusCode)429, status);
        Assert.True(int.Parse(headers["Retry-After"].Single()) >= 1);
        Assert.Contains("maximum of 1 concurrent streams", headers["dg-error"].Single());
        Assert.NotEmpty(headers["dg-request-id"].Single());
        await running.SendAudioAsync(new byte[3_200]);
        await running.CloseStreamAsync();
        await running.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, running.CloseStatus);
        Assert.Equal("Metadata", DeepgramRawClient.Type(running.Messages[^1]));
    }

    [Fact(Timeout = 30_000)]
    public async Task Full_MultichannelNeedsASlotPerChannel_RefusedWholeAndTheSlotsGivenBack()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "1" });

        var (status, _) = await DeepgramRawClient.RefusedAsync(gateway.Stream(Linear16 + "&channels=2&multichannel=true"));

        Assert.Equal((HttpStatusCode)429, status);
        await using var single = await DeepgramRawClient.ConnectAsync(gateway.Stream(Linear16)); // the one slot is free again
        await single.CloseStreamAsync();
        await single.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, single.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Sdk_Full_ReportsTheHttp429AndNeverOpens()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:MaxClients"] = "1" });
        await using var running = await DeepgramRawClient.ConnectAsync(gateway.Stream(Linear16));

        var lines = await NodeScript.RunAsync("refused.mjs", TimeSpan.FromSeconds(40), gateway.WebSocket.ToString().TrimEnd('/'));

        Assert.DoesNotContain(lines, l => l.GetProperty("type").GetString() == "open");
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "error" && l.GetProperty("message").GetString()!.Contains("429"));
    }
}
