using FunAsr.Simulator;

namespace Gateway.Native.Tests;

/// <summary>
/// Publishes libfunasr.so with NativeAOT once per test run, builds the C test program and funasr_bench with gcc
/// against it, installs koffi from npm, writes the speech fixture, and starts one simulator for the plain tests.
/// </summary>
public sealed class NativeLibraryFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly SemaphoreSlim _valgrindGate = new(1, 1);

    public string RepoRoot { get; } = FindRepoRoot();

    public string LibraryDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "libfunasr");

    public string LibraryPath => Path.Combine(LibraryDirectory, "libfunasr.so");

    public string TestProgram => Path.Combine(LibraryDirectory, "funasr_test");

    public string BenchProgram => Path.Combine(LibraryDirectory, "funasr_bench");

    public string NodeDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "node");

    public string PcmPath { get; } = Path.Combine(AppContext.BaseDirectory, "speech.pcm");

    public string WavPath { get; } = Path.Combine(AppContext.BaseDirectory, "speech.wav");

    public SimulatorHost Simulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var pcm = SpeechFixture.Pcm();
        await File.WriteAllBytesAsync(PcmPath, pcm);
        await File.WriteAllBytesAsync(WavPath, SpeechFixture.Wav(pcm));
        Simulator = await FunAsrSimulator.StartAsync(new SimulatorOptions());
        // koffi installs while the library compiles.
        var npm = Tool.RunCheckedAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], NodeDirectory, TimeSpan.FromMinutes(4));
        await Tool.RunCheckedAsync("dotnet", ["publish", Path.Combine(RepoRoot, "src/Gateway.Native/Gateway.Native.csproj"), "-c", "Release", "-o", LibraryDirectory, "--nologo", "-v", "q"], RepoRoot, PublishTimeout);
        // A stale build of an earlier run must not be reused by the valgrind tests.
        if (Directory.Exists(Path.Combine(AppContext.BaseDirectory, "valgrind-build")))
        {
            Directory.Delete(Path.Combine(AppContext.BaseDirectory, "valgrind-build"), recursive: true);
        }

        await Gcc(Path.Combine(AppContext.BaseDirectory, "c/funasr_test.c"), TestProgram, "-O1");
        await Gcc(Path.Combine(RepoRoot, "benchmarks/funasr_bench/funasr_bench.c"), BenchProgram, "-O2", "-lm");
        await npm;
    }

    public async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        _valgrindGate.Dispose();
    }

    /// <summary>
    /// The C test built for valgrind: DWARF 4 (valgrind 3.19 cannot read the DWARF 5 that gcc 12 writes by default)
    /// next to a copy of the library without its libfunasr.so.dbg (ILC's debug info, which memcheck also cannot read).
    /// </summary>
    public async Task<(string Directory, string Program)> ValgrindBuildAsync()
    {
        await _valgrindGate.WaitAsync();
        try
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "valgrind-build");
            var program = Path.Combine(dir, "funasr_test");
            if (!File.Exists(program))
            {
                Directory.CreateDirectory(dir);
                File.Copy(LibraryPath, Path.Combine(dir, "libfunasr.so"), overwrite: true);
                await Tool.RunCheckedAsync("gcc", ["-O1", "-g", "-gdwarf-4", "-Wall", "-pthread", "-I", LibraryDirectory, Path.Combine(AppContext.BaseDirectory, "c/funasr_test.c"), "-o", program, "-L", dir, "-lfunasr", "-Wl,-rpath," + dir], dir, TimeSpan.FromMinutes(1));
            }

            return (dir, program);
        }
        finally
        {
            _valgrindGate.Release();
        }
    }

    /// <summary>A ws:// URL nobody listens on: a port bound and released.</summary>
    public static string UnreachableUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"ws://127.0.0.1:{port}/";
    }

    private Task<string> Gcc(string source, string output, params string[] extra) =>
        Tool.RunCheckedAsync("gcc", [.. extra, "-g", "-Wall", "-Wextra", "-Werror", "-pthread", "-I", LibraryDirectory, source, "-o", output, "-L", LibraryDirectory, "-lfunasr", "-Wl,-rpath," + LibraryDirectory, "-lm"], LibraryDirectory, TimeSpan.FromMinutes(1));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
