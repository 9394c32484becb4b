using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Core.Auth;
using Microsoft.AspNetCore.Builder;

namespace Gateway.Benchmarks.Admission;

/// <summary>
/// What fleet admission costs a client: a whole WebSocket handshake on <c>/v1/listen</c> (admission before the
/// upgrade, connect, 101, close) against a real Kestrel gateway with <c>Admission:Scope=Local</c>, with
/// <c>Fleet</c> (one Lua script on a real loopback redis-server to take the slot, one fire-and-forget to give it back),
/// and with Fleet plus a key whose <c>MaxSessions</c> is set (a second script). Same process, same run.
/// </summary>
[MemoryDiagnoser]
public class FleetAdmissionBenchmarks
{
    private const string Key = "sk-bench-0123456789abcdef";
    private Process _redis = null!;
    private string _data = null!;
    private WebApplication _local = null!;
    private WebApplication _fleet = null!;
    private WebApplication _fleetKey = null!;
    private Uri _localUrl = null!;
    private Uri _fleetUrl = null!;
    private Uri _fleetKeyUrl = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = Directory.CreateTempSubdirectory("gateway-bench-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in (string[])["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _data, "--save", "", "--appendonly", "no"])
        {
            start.ArgumentList.Add(arg);
        }

        _redis = Process.Start(start)!;
        _redis.OutputDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        WaitForPort(port);
        var redis = $"127.0.0.1:{port}";
        (_local, _localUrl) = Start("local", null, auth: false);
        (_fleet, _fleetUrl) = Start("fleet", redis, auth: false);
        (_fleetKey, _fleetKeyUrl) = Start("fleetkey", redis, auth: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _local.StopAsync().GetAwaiter().GetResult();
        _fleet.StopAsync().GetAwaiter().GetResult();
        _fleetKey.StopAsync().GetAwaiter().GetResult();
        _redis.Kill();
        _redis.WaitForExit();
        _redis.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "WebSocket handshake, Admission:Scope=Local")]
    public Task Local() => ListenGateway.HandshakeAsync(_localUrl, null);

    [Benchmark(Description = "WebSocket handshake, Admission:Scope=Fleet")]
    public Task Fleet() => ListenGateway.HandshakeAsync(_fleetUrl, null);

    [Benchmark(Description = "WebSocket handshake, Fleet + key MaxSessions")]
    public Task FleetWithKeyQuota() => ListenGateway.HandshakeAsync(_fleetKeyUrl, "Token " + Key);

    private (WebApplication App, Uri Url) Start(string name, string? redis, bool auth)
    {
        var settings = ListenGateway.BaseSettings(Path.Combine(_data, name));
        settings["Gateway:InstanceId"] = name;
        settings["Auth:Enabled"] = auth ? "true" : "false";
        settings["Auth:Keys:0:Name"] = "bench";
        settings["Auth:Keys:0:Hash"] = ApiKeys.HashOf(Key);
        settings["Auth:Keys:0:Scopes:0"] = Scopes.Stream;
        settings["Auth:Keys:0:MaxSessions"] = "10000";
        if (redis is not null)
        {
            settings["Redis:Configuration"] = redis;
            settings["Admission:Scope"] = "Fleet";
        }

        return ListenGateway.Start(settings);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start");
    }
}
