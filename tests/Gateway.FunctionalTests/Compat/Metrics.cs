using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Compat;

internal static class Metrics
{
    /// <summary>Audio is counted when a session ends, just after its close: poll until the line appears.</summary>
    public static async Task WaitForAsync(TestGateway gateway, string line)
    {
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        string text;
        while (!(text = await gateway.GetStringAsync("/metrics")).Contains(line, StringComparison.Ordinal))
        {
            if (cts.IsCancellationRequested)
            {
                Assert.Contains(line, text);
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
