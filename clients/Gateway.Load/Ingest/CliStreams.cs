using System.Diagnostics;

namespace Gateway.Load.Ingest;

/// <summary>
/// The alternative to a server-side ingest that the issue names: one <c>gateway-cli stream URL --room R</c> process per
/// source (docs/clients.md), each with its own ffmpeg and WebSocket session. Started from the CLI's Release build;
/// killed when disposed. Unsupervised: a source that drops ends its process (nobody restarts it).
/// </summary>
internal sealed class CliStreams : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly string _dll;

    public CliStreams(string dll) => _dll = dll;

    public IReadOnlyList<int> ProcessIds => [.. _processes.Where(p => !p.HasExited).Select(p => p.Id)];

    public int Exited => _processes.Count(p => p.HasExited);

    public void Start(Uri gateway, Uri source, string room)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var server = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = "/v1/stream" }.Uri;
        foreach (var a in (string[])[_dll, "stream", source.ToString(), "--server", server.ToString(), "--room", room, "--speaker", "source", "--quiet"])
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_dll}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    /// <summary>CPU seconds the CLI processes used so far (not their ffmpeg children, which are counted with the others).</summary>
    public double CpuSeconds() => _processes.Where(p => !p.HasExited).Sum(p => FfmpegCpuSampler.CpuSeconds(p.Id));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
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
