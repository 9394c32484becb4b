using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Auth;
using Gateway.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
    public Task Local() => HandshakeAsync(_localUrl, null);

    [Benchmark(Description = "WebSocket handshake, Admission:Scope=Fleet")]
    public Task Fleet() => HandshakeAsync(_fleetUrl, null);

    [Benchmark(Description = "WebSocket handshake, Fleet + key MaxSessions")]
    public Task FleetWithKeyQuota() => HandshakeAsync(_fleetKeyUrl, "Token " + Key);

    private static async Task HandshakeAsync(Uri url, string? authorization)
    {
        using var socket = new ClientWebSocket();
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        await socket.ConnectAsync(url, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    private (WebApplication App, Uri Url) Start(string name, string? redis, bool auth)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:9/",
            ["Upstream:Endpoints:0:MinIdle"] = "0",
            ["Admission:MaxClients"] = "10000",
            ["Jobs:DataDirectory"] = Path.Combine(_data, name),
            ["Gateway:InstanceId"] = name,
            ["Auth:Enabled"] = auth ? "true" : "false",
            ["Auth:Keys:0:Name"] = "bench",
            ["Auth:Keys:0:Hash"] = ApiKeys.HashOf(Key),
            ["Auth:Keys:0:Scopes:0"] = Scopes.Stream,
            ["Auth:Keys:0:MaxSessions"] = "10000",
        };
        if (redis is not null)
        {
            settings["Redis:Configuration"] = redis;
            settings["Admission:Scope"] = "Fleet";
        }

        var app = GatewayApp.Build(["--Urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(settings));
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(new UriBuilder(address) { Scheme = "ws", Path = "/v1/listen", Query = "encoding=linear16&sample_rate=16000" }.Uri.ToString()));
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
