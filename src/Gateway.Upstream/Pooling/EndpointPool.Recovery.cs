using System.Net.Sockets;
using System.Security.Authentication;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream.Pooling;

internal sealed partial class EndpointPool
{
    /// <summary>
    /// The circuit just opened: probe the server in the background, first after RecoveryProbeInitialDelay, then at
    /// doubling intervals capped at RecoveryProbeMaxDelay, until a connection succeeds and closes the circuit. The
    /// probe is the circuit's only trial, so an endpoint that comes back is used again within one probe interval and
    /// segments held meanwhile wake on the close (<see cref="WhenHealthy"/>) instead of trying on a timer.
    /// </summary>
    private void StartRecoveryProbe()
    {
        if (_disposed || Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        _probeDelay = _options.RecoveryProbeInitialDelay;
        _recoveryProbe.Change(_probeDelay, Timeout.InfiniteTimeSpan);
    }

    private async Task ProbeRecoveryAsync()
    {
        if (_disposed || !_breaker.IsOpen)
        {
            Volatile.Write(ref _probing, 0);
            return;
        }

        string failure;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            var socket = await WebSocketClientConnection.ConnectAsync(Uri, _socketOptions, timeout.Token).ConfigureAwait(false);
            await socket.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _probing, 0);
            ReportSuccess();
            if (MinIdle > 0)
            {
                _ = WarmUpAsync(CancellationToken.None);
            }

            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or AuthenticationException or WebSocketProtocolException)
        {
            failure = ex.GetType().Name;
        }

        // The upstream is still down: logged at Debug, the circuit already said so at Warning.
        _probeDelay = TimeSpan.FromTicks(Math.Min(_probeDelay.Ticks * 2, _options.RecoveryProbeMaxDelay.Ticks));
        Log.RecoveryProbeFailed(_logger, Name, failure, _probeDelay);
        if (!_disposed)
        {
            _recoveryProbe.Change(_probeDelay, Timeout.InfiniteTimeSpan);
        }
    }
}
