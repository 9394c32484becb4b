using System.Diagnostics;
using System.Globalization;
using Gateway.Cli.Protocol;

namespace Gateway.Cli.Sessions;

/// <summary>
/// Resume after a lost connection (docs/protocol.md §10, docs/clients.md "Reconnecting"): retry with backoff and
/// jitter for the resume window, presenting the latest token, the latest ack as the offset and the finals received;
/// the next connection resends the backlog from there. Gives up on a refusal or when the window has passed.
/// </summary>
internal sealed partial class CaptionSession
{
    private long _lostAt;

    private void OnReady(ServerMessage ready)
    {
        _resume.Token = ready.String("resume_token");
        if (ready.Number("resume_window_ms") is { } windowMs)
        {
            _resume.Window = TimeSpan.FromMilliseconds(windowMs);
        }

        if (_resume.Token is null)
        {
            _backlog.StopRetaining();
        }

        if (ready.Flag("resumed"))
        {
            if (ready.Number("finals_lost") is { } lost and > 0)
            {
                // Older than the server's replay log: gone. Counted as received, so the next resume asks for no repeat.
                _resume.Finals += (long)lost;
                _view.Warning(string.Create(CultureInfo.InvariantCulture, $"{lost:0} final(s) produced while disconnected are no longer held by the gateway and are missing"));
            }

            _view.Resumed(string.Create(CultureInfo.InvariantCulture,
                $"resumed session {_transcript.SessionId} after {Stopwatch.GetElapsedTime(_lostAt).TotalSeconds:0.0} s (the gateway holds audio up to {ready.Number("offset") / 16000.0:0.00} s)"));
            return;
        }

        _transcript.SessionId = ready.String("session_id");
        _view.Notice($"connected to {_options.Server} (session {_transcript.SessionId})");
    }

    /// <summary>The next connection, resuming the session; null when it cannot be resumed (the reason is in <see cref="_serverOutcome"/>).</summary>
    private async Task<GatewayConnection?> ReconnectAsync(string detail, CancellationToken stop)
    {
        _lostAt = Stopwatch.GetTimestamp();
        var window = _resume.Window;
        _view.Reconnecting(string.Create(CultureInfo.InvariantCulture,
            $"connection lost ({detail}); reconnecting… (resume window {window.TotalSeconds:0} s)"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(window);
        Exception? last = null;
        var pipeline = ReconnectPolicy.Create((attempt, delay, error) =>
        {
            last = error;
            _view.Reconnecting(string.Create(CultureInfo.InvariantCulture,
                $"reconnecting… attempt {attempt} in {delay.TotalSeconds:0.0} s ({error?.Message})"));
        });
        try
        {
            return await pipeline.ExecuteAsync(async token =>
            {
                var offset = _backlog.Rewind();
                return await GatewayConnection.ConnectAsync(_resume.ResumeUri(_options.Server, offset), _options.ConnectTimeout, token);
            }, deadline.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _serverOutcome = Outcome.Stopped;
            return null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or CannotConnectException)
        {
            _serverOutcome = Outcome.ResumeFailed(string.Create(CultureInfo.InvariantCulture,
                $"could not reconnect within the {window.TotalSeconds:0} s resume window: {(ex as CannotConnectException ?? last)?.Message ?? "timed out"}"));
            return null;
        }
    }
}
