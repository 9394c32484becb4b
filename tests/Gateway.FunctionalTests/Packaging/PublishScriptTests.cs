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

    /// <summary>The compose file's FunASR service is the documented 2pass CPU server (FunASR runtime/docs/SDK_advanced_guide_online_zh.md).</summary>
    [Fact]
    public void Compose_FunAsrService_IsTheOfficial2passCpuImageWithItsDocumentedStartCommand()
    {
        var compose = File.ReadAllText(RepoFiles.PathOf("docker-compose.yml"));

        Assert.Contains("registry.cn-hangzhou.aliyuncs.com/funasr_repo/funasr:funasr-runtime-sdk-online-cpu-0.1.12", compose, StringComparison.Ordinal);
        Assert.Contains("working_dir: /workspace/FunASR/runtime", compose, StringComparison.Ordinal);
        string[] start =
        [
            "run_server_2pass.sh", "--download-model-dir", "/workspace/models",
            "--vad-dir", "damo/speech_fsmn_vad_zh-cn-16k-common-onnx",
            "--model-dir", "damo/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx",
            "--online-model-dir", "damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online-onnx",
            "--punc-dir", "damo/punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727-onnx",
            "--lm-dir", "damo/speech_ngram_lm_zh-cn-ai-wesp-fst",
            "--itn-dir", "thuduj12/fst_itn_zh",
            "--certfile", "\"0\"",
        ];
        var items = compose.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
        var at = items.IndexOf("run_server_2pass.sh");
        Assert.True(at > 0, "the funasr service runs run_server_2pass.sh");
        Assert.Equal(start, items.Skip(at).Take(start.Length));
        // The gateways speak the 2pass flavour to it, on plain ws:// (--certfile 0).
        Assert.Contains("Upstream__Endpoints__0__Url: ws://funasr:10095/", compose, StringComparison.Ordinal);
        Assert.Contains("Upstream__Endpoints__0__Flavour: funasr-2pass", compose, StringComparison.Ordinal);
    }

    [Fact(Timeout = 620_000)]
    public async Task PublishScript_OutputRunsConfiguredByEnvironment_HealthyAndReady()
    {
        // A Release publish while the rest of the suite runs on a loaded 2-core machine took over 6 min once (the
        // 400 s deadline ran out while the published gateway was starting).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(600));
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
        catch (TaskCanceledException) when (!token.IsCancellationRequested)
        {
            return false; // the client's 5 s timeout: a gateway still starting on a loaded machine, ask again
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
