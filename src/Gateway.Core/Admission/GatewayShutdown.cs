using Gateway.Core.Diagnostics;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Admission;

/// <summary>
/// Begins the graceful shutdown of every session as soon as the host starts stopping (SIGTERM, Ctrl+C), before
/// the server stops: nothing more is admitted, and each session delivers the results of the audio it took, sends
/// DISCONNECT <c>server_shutdown</c> and closes with 1001. The server then waits for those sessions to end
/// (<see cref="HostOptions.ShutdownTimeout"/>, raised to cover <see cref="SessionOptions.DrainTimeout"/>).
/// </summary>
public sealed partial class GatewayShutdown : IHostedService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ClientManager _clients;
    private readonly ILogger _logger;
    private CancellationTokenRegistration _stopping;

    public GatewayShutdown(IHostApplicationLifetime lifetime, ClientManager clients, ILogger<GatewayShutdown> logger)
    {
        _lifetime = lifetime;
        _clients = clients;
        _logger = logger;
    }

    /// <summary>The host's shutdown timeout must cover a session's drain and its close handshake.</summary>
    public static TimeSpan ShutdownTimeoutFor(SessionOptions sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return sessions.DrainTimeout + sessions.CloseGrace + TimeSpan.FromSeconds(5);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = _lifetime.ApplicationStopping.Register(static s => ((GatewayShutdown)s!).Begin(), this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Stopped after the server, so every session has ended by now; a host stopped without ApplicationStopping
        // (tests) still gets the same behaviour from here.
        Begin();
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private void Begin()
    {
        if (!_clients.IsShuttingDown)
        {
            Log.ShutdownStarted(_logger, _clients.ActiveCount);
            _clients.BeginShutdown();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ShutdownStarted, LogLevel.Information, "Shutting down: no new sessions; {Active} session(s) deliver their pending results and close")]
        public static partial void ShutdownStarted(ILogger logger, int active);
    }
}
