using System.Net.WebSockets;
using Gateway.Core.Diagnostics;
using Gateway.FunctionalTests.Infrastructure;
using Serilog.Events;

namespace Gateway.FunctionalTests.Sessions;

/// <summary>Client misbehaviour is logged once, quietly, and counted; never as an application error.</summary>
public sealed class ClientAbuseTests
{
    private const int Connections = 10;

    /// <summary>
    /// The root path, unclaimed paths and WhisperLive read the first message before admission: a drop there is the
    /// endpoint's Debug event and counter. Native and FunASR admit at the upgrade: the session logs the drop
    /// (Information) and counts it as a disconnect.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData("/", EventIds.ClientGone, "Debug", "gateway_connections_client_gone_total{endpoint=\"detect\"}")]
    [InlineData("/whisperlive", EventIds.ClientGone, "Debug", "gateway_connections_client_gone_total{endpoint=\"whisperlive\"}")]
    [InlineData("/no/such/endpoint", EventIds.ClientGone, "Debug", "gateway_connections_client_gone_total{endpoint=\"detect\"}")]
    [InlineData("/v1/stream", EventIds.ClientAborted, "Information", "gateway_admission_disconnected_total{reason=\"client_aborted\"}")]
    [InlineData("/funasr", EventIds.ClientAborted, "Information", "gateway_admission_disconnected_total{reason=\"client_aborted\"}")]
    public async Task Disconnect_BeforeFirstMessage_LoggedOnceQuietlyAndCounted(string path, int eventId, string level, string metric)
    {
        var logs = new LogCapture();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(LogCapture.Settings), configure: logs.Configure);

        for (var i = 0; i < Connections; i++)
        {
            using var client = new ClientWebSocket();
            using var connect = new CancellationTokenSource(StreamClient.Timeout);
            await client.ConnectAsync(gateway.Stream(path), connect.Token);
            client.Abort(); // gone without a close handshake, before sending anything
        }

        await WaitUntilAsync(() => RequestsFinished(logs) == Connections);

        var loud = logs.Events.Where(e => e.Level >= LogEventLevel.Warning).ToList();
        Assert.True(loud.Count == 0, LogCapture.Describe(loud));
        var gone = logs.WithEventId(eventId);
        Assert.True(gone.Count == Connections, LogCapture.Describe(logs.Events));
        Assert.All(gone, e => Assert.Equal(Enum.Parse<LogEventLevel>(level), e.Level));
        Assert.All(gone, e => Assert.Null(e.Exception));
        Assert.Contains($"{metric} {Connections}", await gateway.GetStringAsync("/metrics"));
    }

    private static int RequestsFinished(LogCapture logs) =>
        logs.Events.Count(e => e.MessageTemplate.Text.StartsWith("Request finished", StringComparison.Ordinal));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(StreamClient.Timeout);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
