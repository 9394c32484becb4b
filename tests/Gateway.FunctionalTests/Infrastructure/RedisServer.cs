using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, in its own directory (installed by .ci/run; never a system service).</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server; short timeouts so "Redis down" shows quickly.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000,connectRetry=1";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new RedisServer(directory, FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>
    /// Starts the server (again) on the same port and data: append-only persistence, so a restart loses nothing. A kill
    /// (<see cref="KillAsync"/>) ends the process, not the machine, and with <c>appendfsync no</c> Redis writes the
    /// append-only buffer to the file before every reply, so every acknowledged write survives it. <c>always</c> added
    /// an fsync per write, which on a loaded disk held replies for seconds (commands timed out behind it);
    /// <c>everysec</c> may postpone the write while a background fsync runs, so a kill could lose acknowledged writes.
    /// </summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
                     "--appendonly", "yes", "--appendfsync", "no", "--save", "", "--daemonize", "no", "--protected-mode", "no"])
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                await using var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), deadline.Token);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Kills the server (no shutdown save): what a crash or an outage looks like to the gateways.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
