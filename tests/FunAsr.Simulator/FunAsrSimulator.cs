using System.Net;
using System.Net.Sockets;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Faults;
using FunAsr.Simulator.Hosting;
using FunAsr.Simulator.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunAsr.Simulator;

/// <summary>
/// Entry point of the FunASR runtime SIMULATOR: a protocol-faithful impersonation of the FunASR WebSocket
/// servers (docs/simulator.md, funasr.md) whose "recognition" is derived from the audio bytes. It is not a
/// speech recogniser.
/// </summary>
public static partial class FunAsrSimulator
{
    public const string Banner = "FunASR SIMULATOR — not a speech recogniser";

    /// <summary>Starts a host on <see cref="SimulatorOptions.Port"/> (0 = ephemeral) and returns once it listens.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulator options: " + string.Join(" ", errors), nameof(options));
        }

        // Empty builder: no appsettings.json or environment from the working directory leaks into the simulator.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        if (options.LogToConsole)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        var certificate = options.Tls ? SelfSignedCertificate.Create(options.TimeProvider) : null;
        var stats = new SimulatorStats();
        ILogger logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.ListenAddress, options.Port, listen =>
            {
                // Runs at accept, before TLS and HTTP: the "close TCP at accept" refusal.
                listen.Use(next => async connection =>
                {
                    // Decided once per connection: a RejectUpgrade decision travels to the WebSocket endpoint, so
                    // RefuseNextConnections(n, mode) counts connections, not the places that look at it.
                    var refusal = options.Faults.DecideRefusal();
                    if (refusal == RefuseMode.RejectUpgrade)
                    {
                        connection.Items[WebSocketEndpoint.RefusalItem] = refusal;
                    }

                    if (refusal == RefuseMode.CloseAtAccept)
                    {
                        stats.AddFault(FaultKind.ClosedAtAccept);
                        Log.Refused(logger, RefuseMode.CloseAtAccept);
                        connection.Abort(new ConnectionAbortedException("FunASR simulator: refused at accept (fault injection)."));
                        return;
                    }

                    await next(connection);
                });
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FunAsr.Simulator");
        var runtime = new SimulatorRuntime(options, stats, logger);
        app.UseWebSockets();
        app.Run(http => WebSocketEndpoint.HandleAsync(http, runtime));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // Port in use, cancelled: leave nothing behind.
            await app.DisposeAsync();
            certificate?.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = UrlHost(options.ListenAddress);
        var url = new Uri($"{(certificate is null ? "ws" : "wss")}://{host}:{port}/");
        Log.Started(logger, Banner, SimulatorFlavours.ToCliName(options.Flavour), url);
        return new SimulatorHost(app, url, options, stats, certificate);
    }

    // A wildcard bind is reached through loopback; IPv6 literals need brackets in a URI.
    private static string UrlHost(IPAddress address) =>
        address.Equals(IPAddress.Any) ? "127.0.0.1"
        : address.Equals(IPAddress.IPv6Any) ? "[::1]"
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]"
        : address.ToString();

    private static partial class Log
    {
        [LoggerMessage(EventIds.Started, LogLevel.Information, "{Banner}: impersonating {Flavour} at {Url}")]
        public static partial void Started(ILogger logger, string banner, string flavour, Uri url);

        [LoggerMessage(EventIds.Refused, LogLevel.Information, "Connection refused ({Mode}, fault injection)")]
        public static partial void Refused(ILogger logger, RefuseMode mode);
    }
}
