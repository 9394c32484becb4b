using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.Ingest;

/// <summary><c>gateway-cli ingest add/list/stop</c> against a real gateway pulling a real RTSP source.</summary>
public sealed class IngestCliTests
{
    [Fact(Timeout = 40_000)]
    public async Task IngestAddListStop_RtspSource_IdStateAndFinalsPrinted()
    {
        await using var gateway = await TestGateway.StartAsync(IngestSourceTests.Loopback);
        using var api = new IngestApi(gateway.Http);
        await using var rtsp = new RtspServer(SpeechFixture.ThreeUtterances.Samples);

        var (exit, added) = await CliRunner.RunAsync("ingest", "add", rtsp.Url.ToString(), "--room", "lobby", "--speaker", "cam", "-s", gateway.Http.ToString());
        Assert.True(exit == 0, added);
        var id = added.Split(' ', 2)[0].Trim();
        Assert.StartsWith("ing-", id);
        Assert.Contains("room lobby", added);
        await api.WaitAsync(id, i => IngestApi.Finals(i) >= 3, TimeSpan.FromSeconds(25));

        var (listExit, list) = await CliRunner.RunAsync("ingest", "list", "-s", gateway.Http.ToString());
        Assert.True(listExit == 0, list);
        Assert.Contains(id, list);
        Assert.Contains("lobby", list);

        var (stopExit, stopped) = await CliRunner.RunAsync("ingest", "stop", id, "-s", gateway.Http.ToString());
        Assert.True(stopExit == 0, stopped);
        Assert.Contains($"{id}  stopped  3 finals", stopped);

        var (badExit, bad) = await CliRunner.RunAsync("ingest", "add", "file:///etc/passwd", "-s", gateway.Http.ToString());
        Assert.Equal(4, badExit);
        Assert.Contains("400 scheme \"file\" is not allowed", bad);
    }
}
