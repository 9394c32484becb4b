using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FunAsr.Simulator;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Packaging;

/// <summary>
/// The image's build steps, run by CI: the Dockerfile's build stage is <c>build/publish.sh</c>, and this test runs
/// that same script, then starts what it published configured only by environment variables, as the container is.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PublishScriptTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "gateway-publish-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public void Dockerfile_BuildsWithThePublishScript_RunsAsNonRoot_ChecksHealthz()
    {
        var dockerfile = File.ReadAllLines(RepoFiles.PathOf("Dockerfile"));

        Assert.Contains(dockerfile, l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains("bash build/publish.sh /app", StringComparison.Ordinal));
        Assert.Contains(dockerfile, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.Contains("/healthz", StringComparison.Ordinal));
        Assert.Contains(dockerfile, l => l.Trim() == "USER gateway");
        Assert.Contains(dockerfile, l => l.Contains("ffmpeg", StringComparison.Ordinal) && l.Contains("apt-get install", StringComparison.Ordinal));
        Assert.Equal(2, dockerfile.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    [Fact(Timeout = 420_000)]
    public async Task PublishScript_OutputRunsConfiguredByEnvironment_HealthyAndReady()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(400));
        // Its own obj/bin (--artifacts-path): other tests publish projects of this tree at the same time.
        var publish = await RunAsync("bash", [RepoFiles.PathOf("build/publish.sh"), Path.Combine(_out, "app"), "--artifacts-path", Path.Combine(_out, "artifacts")], deadline.Token);
        Assert.True(publish.ExitCode == 0, publish.Output);
        Assert.Contains("VAD model sha256 verified", publish.Output, StringComparison.Ordinal);

        await using var simulator = await FunAsrSimulator.StartAsync(new SimulatorOptions(), deadline.Token);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetTempPath(), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(_out, "app", "Gateway.Server.dll"));
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Upstream__Endpoints__0__Url"] = simulator.Url.ToString();
        info.Environment["Upstream__Endpoints__0__MinIdle"] = "0";
        info.Environment["Jobs__DataDirectory"] = Path.Combine(_out, "jobs");
        using var gateway = Process.Start(info)!;
        gateway.OutputDataReceived += (_, _) => { };
        gateway.ErrorDataReceived += (_, _) => { };
        gateway.BeginOutputReadLine();
        gateway.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            while (!await OkAsync(http, "/readyz", deadline.Token))
            {
                Assert.False(gateway.HasExited, "the published gateway exited");
                await Task.Delay(100, deadline.Token);
            }

            Assert.True(await OkAsync(http, "/healthz", deadline.Token));
        }
        finally
        {
            gateway.Kill();
            await gateway.WaitForExitAsync(CancellationToken.None);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static async Task<bool> OkAsync(HttpClient http, string path, CancellationToken token)
    {
        try
        {
            using var response = await http.GetAsync(path, token);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, CancellationToken token)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(token);
        var stderr = process.StandardError.ReadToEndAsync(token);
        await process.WaitForExitAsync(token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
