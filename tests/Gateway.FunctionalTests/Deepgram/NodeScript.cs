using System.Diagnostics;
using System.Text.Json;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>Runs one of the SDK scripts (installed in the output directory by DeepgramSdk.targets) and collects its JSON lines.</summary>
internal static class NodeScript
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "deepgram-sdk");

    public static async Task<List<JsonElement>> RunAsync(string script, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Directory };
        start.ArgumentList.Add(Path.Combine(Directory, script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            }

            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout}; {lines.Count} lines; stderr: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"node {script} exited {process.ExitCode}: {await stderr}; last lines: {string.Join(" | ", lines.TakeLast(4).Select(l => l.GetRawText()))}");
        return lines;
    }
}
