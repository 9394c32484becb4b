using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Gateway.Load.Spawn;

/// <summary>
/// The simulator and the gateway as child processes (from their Release build outputs), logging to files,
/// stopped when disposed. Everything listens on 127.0.0.1.
/// </summary>
internal sealed class SpawnedStack : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private (string Dll, string Log, string[] Args) _simulatorStart;
    private Process? _simulator;
    private int _simulatorPort;

    private SpawnedStack(string logDirectory, Uri gateway)
    {
        LogDirectory = logDirectory;
        Gateway = gateway;
    }

    public string LogDirectory { get; }

    public Uri Gateway { get; }

    public static async Task<SpawnedStack> StartAsync(SpawnSettings s, TextWriter log, CancellationToken token)
    {
        var root = FindRepositoryRoot()
            ?? throw new InvalidOperationException("--spawn needs to run inside the repository (Gateway.sln not found above the current directory).");
        var simulator = Built(root, "tests/FunAsr.Simulator", "FunAsr.Simulator.dll");
        var server = s.GatewayBuild is { } build ? Path.GetFullPath(Path.Combine(build, "Gateway.Server.dll")) : Built(root, "src/Gateway.Server", "Gateway.Server.dll");
        if (!File.Exists(server))
        {
            throw new InvalidOperationException($"{server} is missing (--gateway-build).");
        }

        var logs = Directory.CreateTempSubdirectory("gateway-load-").FullName;
        var stack = new SpawnedStack(logs, new Uri($"http://127.0.0.1:{s.GatewayPort}"));
        try
        {
            stack._simulatorStart = (simulator, Path.Combine(logs, "simulator.log"), [
                "--port", $"{s.SimulatorPort}", "--flavour", "funasr-2pass", "--quiet", "--step-ms", $"{s.SimulatorStepMs}", "--final-ms", $"{s.SimulatorFinalMs}",
                "--decoders", $"{s.SimulatorDecoders}", "--decode-cost", s.SimulatorDecodeCost.ToString(CultureInfo.InvariantCulture), "--stats-every", "10"]);
            stack._simulatorPort = s.SimulatorPort;
            stack._simulator = stack.Start(stack._simulatorStart.Dll, stack._simulatorStart.Log, stack._simulatorStart.Args);
            await WaitForPortAsync(s.SimulatorPort, token);
            stack.Start(server, Path.Combine(logs, "gateway.log"),
            [
                "--Urls", $"http://127.0.0.1:{s.GatewayPort}",
                "--Upstream:Endpoints:0:Url", $"ws://127.0.0.1:{s.SimulatorPort}/",
                "--Admission:MaxClients", $"{s.MaxClients}",
                "--Segmenter:EndpointSilenceMs", $"{s.EndpointSilenceMs}",
                .. s.MaxConnections is { } max ? (string[])["--Upstream:Endpoints:0:MaxConnections", $"{max}"] : [],
                "--Serilog:MinimumLevel:Default", "Warning",
                .. s.GatewayArgs,
            ]);
            await stack.WaitForReadyAsync(stack.Gateway, token);
            await log.WriteLineAsync($"spawned: simulator :{s.SimulatorPort} (step {s.SimulatorStepMs} ms, final {s.SimulatorFinalMs} ms, decoders {(s.SimulatorDecoders == 0 ? "unbounded" : s.SimulatorDecoders)}, cost {s.SimulatorDecodeCost} s/s), gateway {stack.Gateway} (logs in {logs})");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the simulator (an upstream crash: every connection cut), waits <paramref name="outage"/>, starts it again on its port.</summary>
    public async Task OutageAsync(TimeSpan outage, TextWriter log, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        _simulator!.Kill(entireProcessTree: true);
        await _simulator.WaitForExitAsync(token);
        await log.WriteLineAsync($"outage: simulator killed");
        await Task.Delay(outage - clock.Elapsed, token);
        _simulator = Start(_simulatorStart.Dll, _simulatorStart.Log + ".restarted", _simulatorStart.Args);
        await WaitForPortAsync(_simulatorPort, token);
        await log.WriteLineAsync($"outage: simulator back after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>gateway-cli's Release build in this repository (the ingest mode's <c>--via-cli</c>).</summary>
    public static string CliDll() => Built(
        FindRepositoryRoot() ?? throw new InvalidOperationException("--via-cli needs to run inside the repository (Gateway.sln not found above the current directory)."),
        "clients/Gateway.Cli", "gateway-cli.dll");

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static string Built(string root, string project, string dll)
    {
        var path = Path.Combine(root, project, "bin", "Release", "net10.0", dll);
        return File.Exists(path) ? path
            : throw new InvalidOperationException($"{path} is missing: build it first with `dotnet build -c Release {project}`.");
    }

    private Process Start(string dll, string logFile, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        _processes.Add(process);
        var writer = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.Exited += (_, _) => writer.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the process exited
            }
        }
    }

    private static async Task WaitForPortAsync(int port, CancellationToken token)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port, token);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200, token);
            }
        }
    }

    private async Task WaitForReadyAsync(Uri gateway, CancellationToken token)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException($"a spawned process exited early; see the logs in {LogDirectory}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
                // a slow start-up answer
            }

            await Task.Delay(250, token);
        }

        throw new TimeoutException($"the gateway was not ready within 60 s; see {LogDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await p.WaitForExitAsync(wait.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // already gone
            }

            p.Dispose();
        }
    }
}
