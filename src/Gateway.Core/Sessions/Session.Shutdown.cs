using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Sessions;

/// <summary>
/// Graceful shutdown: when the gateway stops, every session stops taking audio, delivers the results of the audio
/// it already took (as a client's <c>close</c> would), sends DISCONNECT <c>server_shutdown</c> and closes with 1001.
/// </summary>
/// <remarks>
/// The shutdown arrives on another thread while the receive loop may be writing a frame: the input lock makes
/// "stop taking audio" atomic with respect to ring writes, so the drain sees every sample that was taken, and
/// <see cref="_control"/> keeps one pipeline operation (finalize, close, shutdown drain) at a time.
/// </remarks>
public sealed partial class Session
{
    /// <summary>What a client is told when the gateway shuts down (also sent to a connection refused while it does).</summary>
    internal static readonly DisconnectEvent ShutdownNotice =
        new(DisconnectReason.ServerShutdown, "the gateway is shutting down; connect again later");

    private readonly Lock _input = new();
    private readonly SemaphoreSlim _control = new(1, 1);
    private CancellationToken _aborted;
    private Task? _shutdownDrain;

    /// <summary>Runs on the thread that began the shutdown: hand the drain to the thread pool and return.</summary>
    private void OnServerShutdown() => Volatile.Write(ref _shutdownDrain, Task.Run(ShutdownAsync));

    private async Task ShutdownAsync()
    {
        lock (_input)
        {
            if (!_state.TryClose())
            {
                // The client's own close is already draining, or the session is ending anyway; a detached one ends now
                // (nobody is there to take its results).
                Terminate(DisconnectReason.ServerShutdown, null, (WebSocketCloseStatus)CloseCodes.GoingAway, "server shutdown", onlyIfDetached: true);
                return;
            }
        }

        _audio?.WakeProducer(); // from here on no audio is taken; a receive loop waiting for room moves on

        Log.ShuttingDown(_logger, Id, _audio?.Written / 16 ?? 0);
        await _control.WaitAsync(CancellationToken.None); // a finalize in progress completes first
        try
        {
            if (Started)
            {
                await DrainAsync(_aborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away during the drain; the receive loop records that.
        }
        finally
        {
            _control.Release();
        }

        Terminate(DisconnectReason.ServerShutdown, ShutdownNotice, (WebSocketCloseStatus)CloseCodes.GoingAway, "server shutdown");
    }

    /// <summary>Classifies the rest, ends open speech and waits for every pending result, at most <see cref="SessionOptions.DrainTimeout"/>.</summary>
    private async Task DrainAsync(CancellationToken aborted)
    {
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        drain.CancelAfter(_options.DrainTimeout);
        try
        {
            await _pipeline!.DrainAsync(drain.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            Log.DrainTimedOut(_logger, Id, _options.DrainTimeout.TotalSeconds);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.SessionShuttingDown, LogLevel.Information, "Session {SessionId} shutting down: delivering the results of {AudioMs} ms of audio, then closing")]
        public static partial void ShuttingDown(ILogger logger, string sessionId, long audioMs);
    }
}
