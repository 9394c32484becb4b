using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A real haproxy (Debian's, installed by .ci/run) running the shipped <c>deploy/haproxy.cfg</c> on free loopback
/// ports in front of the given gateways; the stats page says which servers its health checks have marked up.
/// </summary>
public sealed class HaproxyServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _stats;
    private readonly List<string> _output = [];

    private HaproxyServer(Process process, Uri http, Uri stats)
    {
        _process = process;
        Http = http;
        _stats = new HttpClient { BaseAddress = stats, Timeout = TimeSpan.FromSeconds(5) };
    }

    public Uri Http { get; }

    public Uri WebSocket => new UriBuilder(Http) { Scheme = "ws" }.Uri;

    public static async Task<HaproxyServer> StartAsync(IReadOnlyList<Uri> gateways, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(gateways.Count, 3);
        int bind = FreePort(), stats = FreePort();
        var info = new ProcessStartInfo("haproxy") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-db", "-f", RepoFiles.PathOf("deploy/haproxy.cfg")])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["HAPROXY_BIND"] = $"127.0.0.1:{bind}";
        info.Environment["HAPROXY_STATS"] = $"127.0.0.1:{stats}";
        for (var i = 0; i < gateways.Count; i++)
        {
            info.Environment[$"GATEWAY{i + 1}"] = $"127.0.0.1:{gateways[i].Port}";
        }

        var process = Process.Start(info)!;
        var haproxy = new HaproxyServer(process, new Uri($"http://127.0.0.1:{bind}"), new Uri($"http://127.0.0.1:{stats}"));
        process.OutputDataReceived += (_, e) => haproxy.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await haproxy.WaitForAsync(up => up.Count == gateways.Count, cancellationToken);
        return haproxy;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>The backend servers haproxy currently routes to (status UP), by name (gateway1..3).</summary>
    public async Task<IReadOnlySet<string>> UpServersAsync(CancellationToken cancellationToken)
    {
        var csv = await _stats.GetStringAsync("/stats;csv", cancellationToken);
        var up = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in csv.Split('\n'))
        {
            var f = line.Split(',');
            if (f.Length > 17 && f[0] == "gateways" && f[1].StartsWith("gateway", StringComparison.Ordinal) && f[17].StartsWith("UP", StringComparison.Ordinal))
            {
                up.Add(f[1]);
            }
        }

        return up;
    }

    /// <summary>How many sessions (HTTP requests and WebSocket connections) haproxy has sent to a server in all.</summary>
    public async Task<long> SessionsAsync(string server, CancellationToken cancellationToken)
    {
        var csv = await _stats.GetStringAsync("/stats;csv", cancellationToken);
        foreach (var line in csv.Split('\n'))
        {
            var f = line.Split(',');
            if (f.Length > 7 && f[0] == "gateways" && f[1] == server)
            {
                return long.Parse(f[7], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"haproxy has no server {server}");
    }

    /// <summary>Polls the stats page until the set of servers marked up satisfies the condition.</summary>
    public async Task<IReadOnlySet<string>> WaitForAsync(Func<IReadOnlySet<string>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("haproxy exited: " + Output);
            }

            try
            {
                var up = await UpServersAsync(cancellationToken);
                if (condition(up))
                {
                    return up;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow stats page on a busy machine: ask again.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _stats.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
