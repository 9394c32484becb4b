using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FunAsr.Simulator;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>The gateway as a real child process with a declared ingest: killing it (SIGKILL, no shutdown) leaves no ffmpeg behind.</summary>
public sealed class IngestProcessTests
{
    [Fact(Timeout = 60_000)]
    public async Task GatewayKilled_DeclaredIngestRunning_ItsFfmpegDiesToo()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var simulator = await FunAsrSimulator.StartAsync(new SimulatorOptions(), deadline.Token);
        await using var source = await LiveWavSource.StartAsync(SpeechFixture.ThreeUtterances.Samples);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.Server.dll"));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Upstream:Endpoints:0:Url"] = simulator.Url.ToString(),
            ["Upstream:Endpoints:0:MinIdle"] = "0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Outbound:AllowPrivateNetworks"] = "true",
            ["Ingests:Sources:0:Url"] = source.Url.ToString(),
            ["Ingests:Sources:0:Room"] = "declared",
        })
        {
            info.ArgumentList.Add($"--{key}");
            info.ArgumentList.Add(value);
        }

        using var gateway = Process.Start(info)!;
        _ = gateway.StandardOutput.ReadToEndAsync(deadline.Token);
        _ = gateway.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var running = false;
            while (!running)
            {
                Assert.False(gateway.HasExited, "the gateway process exited");
                try
                {
                    using var list = JsonDocument.Parse(await http.GetStringAsync("/v1/ingests", deadline.Token));
                    running = list.RootElement.GetProperty("ingests").EnumerateArray().Any(i => i.GetProperty("state").GetString() == "running" && i.GetProperty("room").GetString() == "declared");
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (!running)
                {
                    await Task.Delay(100, deadline.Token);
                }
            }

            var ffmpeg = Assert.Single(FfmpegReading(source.Url));
            Assert.Equal(gateway.Id, ParentOf(ffmpeg));

            gateway.Kill(entireProcessTree: false); // SIGKILL to the gateway alone: a crash, not a shutdown
            await gateway.WaitForExitAsync(deadline.Token);

            // ffmpeg's stdout has no reader any more: its next write (within 100 ms of live audio) ends it.
            while (FfmpegReading(source.Url).Count > 0)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Live ffmpeg processes (not zombies) whose command line names this source.</summary>
    private static List<int> FfmpegReading(Uri source)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var state = File.ReadAllText(Path.Combine(dir, "stat")).Split(") ")[1][0];
                if (state != 'Z' && cmdline.Length > 1 && Path.GetFileName(cmdline[0]) == "ffmpeg" && cmdline.Contains(source.ToString()))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static int ParentOf(int pid) => int.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
