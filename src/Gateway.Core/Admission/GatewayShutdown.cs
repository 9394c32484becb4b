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
/// With <see cref="SessionOptions.PreStopDelay"/>, readiness turns unhealthy at once and the gateway keeps serving
/// that long first (in <see cref="StoppingAsync"/>, which the host awaits before it stops the server).
/// </summary>
public sealed partial class GatewayShutdown : IHostedLifecycleService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ClientManager _clients;
    private readonly ILogger _logger;
    private readonly TimeSpan _preStop;
    private readonly TimeProvider _time;
    private CancellationTokenRegistration _stopping;
    private volatile bool _stopRequested;

    public GatewayShutdown(IHostApplicationLifetime lifetime, ClientManager clients, IOptions<SessionOptions> sessions, TimeProvider time, ILogger<GatewayShutdown> logger)
    {
        _lifetime = lifetime;
        _clients = clients;
        _preStop = sessions.Value.PreStopDelay;
        _time = time;
        _logger = logger;
    }

    /// <summary>True from the moment the host was asked to stop (readiness reports it before anything else changes).</summary>
    public bool StopRequested => _stopRequested || _clients.IsShuttingDown;

    /// <summary>The host's shutdown timeout must cover a session's drain and its close handshake.</summary>
    public static TimeSpan ShutdownTimeoutFor(SessionOptions sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return sessions.PreStopDelay + sessions.DrainTimeout + sessions.CloseGrace + TimeSpan.FromSeconds(5);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = _lifetime.ApplicationStopping.Register(static s => ((GatewayShutdown)s!).OnStopping(), this);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Awaited by the host before the server stops: the pre-stop delay keeps serving, then admission stops.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        if (_preStop > TimeSpan.Zero && !_clients.IsShuttingDown)
        {
            Log.PreStop(_logger, _preStop.TotalSeconds);
            try
            {
                await Task.Delay(_preStop, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out: drain now.
            }
        }

        Begin();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnStopping()
    {
        _stopRequested = true;
        if (_preStop == TimeSpan.Zero)
        {
            Begin();
        }
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
        [LoggerMessage(EventIds.PreStop, LogLevel.Information, "Stop requested: not ready any more; serving for {Seconds} s (Sessions:PreStopDelay) before draining")]
        public static partial void PreStop(ILogger logger, double seconds);

        [LoggerMessage(EventIds.ShutdownStarted, LogLevel.Information, "Shutting down: no new sessions; {Active} session(s) deliver their pending results and close")]
        public static partial void ShutdownStarted(ILogger logger, int active);
    }
}
