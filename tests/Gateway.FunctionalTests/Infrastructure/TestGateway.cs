using FunAsr.Simulator;
using Gateway.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>A real gateway on Kestrel, on an ephemeral loopback port.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _simulatorDown;

    private TestGateway(WebApplication app, Uri http, SimulatorHost simulator)
    {
        _app = app;
        Simulator = simulator;
        Http = http;
        WebSocket = new UriBuilder(http) { Scheme = "ws" }.Uri;
    }

    public Uri Http { get; }

    public Uri WebSocket { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The FunASR simulator this gateway's upstream pool points at.</summary>
    public SimulatorHost Simulator { get; private set; }

    /// <summary>Kills the simulator (every connection cut at once), as an upstream crash.</summary>
    public async Task KillSimulatorAsync()
    {
        _simulatorDown = true;
        await Simulator.KillAsync();
    }

    /// <summary>Starts a fresh simulator with the same options on the same port: the upstream is back.</summary>
    public async Task RestartSimulatorAsync()
    {
        var options = Simulator.Options;
        options.Port = Simulator.Url.Port;
        Simulator = await FunAsrSimulator.StartAsync(options, CancellationToken.None);
        _simulatorDown = false;
    }

    public static async Task<TestGateway> StartAsync(
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        Action<WebApplicationBuilder>? configure = null,
        SimulatorOptions? simulatorOptions = null)
    {
        var simulator = await FunAsrSimulator.StartAsync(simulatorOptions ?? new SimulatorOptions(), CancellationToken.None);
        var app = GatewayApp.Build(["--Urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Upstream:Endpoints:0:Url"] = simulator.Url.ToString(),
                ["Upstream:Endpoints:0:MinIdle"] = "0",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            if (time is not null)
            {
                builder.Services.Replace(ServiceDescriptor.Singleton(time));
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestGateway(app, new Uri(address), simulator);
    }

    public Uri Stream(string path = "/v1/stream", string query = "") => new(WebSocket, path + query);

    public async Task<string> GetStringAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(path);
    }

    /// <summary>Stops the host as SIGTERM would (ApplicationStopping, then the server and the services).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_simulatorDown)
        {
            await Simulator.DisposeAsync();
        }
    }
}
