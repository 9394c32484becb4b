using System.Globalization;
using System.Net.WebSockets;
using Gateway.Cli.Audio;
using Gateway.Cli.Captions;
using Gateway.Cli.Protocol;
using Gateway.Cli.Terminal;
using Spectre.Console;

namespace Gateway.Cli.Sessions;

/// <summary>
/// One source captioned through one gateway session: ffmpeg decodes to 16 kHz mono PCM16, an audio pump sends it
/// (paced or not), an event loop turns server messages into captions, and the outputs are written at the end.
/// </summary>
internal sealed partial class CaptionSession
{
    /// <summary>Unacknowledged audio kept for a resume: the gateway's default window, so a resume within it never lacks audio.</summary>
    private static readonly TimeSpan BacklogCapacity = TimeSpan.FromSeconds(30);

    private readonly AudioSource _source;
    private readonly SessionOptions _options;
    private readonly LiveCaptions _view;
    private readonly Transcript _transcript = new();
    private readonly AudioBacklog _backlog = new(BacklogCapacity);
    private readonly ResumeState _resume = new();
    private Outcome? _serverOutcome;

    private CaptionSession(AudioSource source, SessionOptions options, LiveCaptions view)
    {
        _source = source;
        _options = options;
        _view = view;
    }

    /// <param name="cancellationToken">The user's stop (Ctrl+C): audio stops, pending results are still collected.</param>
    public static async Task<int> RunAsync(AudioSource source, SessionOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var total = source.IsLive ? source.Duration : await Ffmpeg.ProbeDurationAsync(source.Input, cancellationToken);
        var session = new CaptionSession(source, options, new LiveCaptions(console, options.Quiet, total));
        var outcome = await session.RunAsync(cancellationToken);
        if (outcome.Detail is { } detail)
        {
            if (outcome.ExitCode == ExitCodes.Ok)
            {
                session._view.Notice(detail);
            }
            else
            {
                session._view.Error(detail);
            }
        }

        return outcome.ExitCode;
    }

    private async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        FfmpegProcess ffmpeg;
        try
        {
            ffmpeg = FfmpegProcess.Start(_source);
        }
        catch (FfmpegException ex)
        {
            return Outcome.Ffmpeg(ex.Message);
        }

        await using (ffmpeg)
        {
            GatewayConnection connection;
            try
            {
                connection = await GatewayConnection.ConnectAsync(_options.Server, _options.ConnectTimeout, cancellationToken);
            }
            catch (CannotConnectException ex)
            {
                return Outcome.CannotConnect(ex.Message);
            }
            catch (OperationCanceledException)
            {
                return Outcome.Stopped;
            }

            var outcome = await _view.RunAsync(() => StreamAsync(ffmpeg, connection, cancellationToken));
            if (outcome.ExitCode != ExitCodes.Wait)
            {
                await WriteOutputsAsync(outcome);
            }

            return outcome;
        }
    }

    /// <summary>
    /// The source pump fills the backlog for the whole session; each connection sends from it. A connection lost
    /// without a close is resumed (<see cref="ReconnectAsync"/>) and the next one resends from the latest ack.
    /// </summary>
    private async Task<Outcome> StreamAsync(FfmpegProcess ffmpeg, GatewayConnection first, CancellationToken stop)
    {
        using var pumping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var source = PumpSourceAsync(ffmpeg, stop, pumping.Token);
        var connection = first;
        var start = true;
        Outcome? lost;
        while (true)
        {
            ConnectionEnd end;
            await using (connection)
            {
                end = await RunConnectionAsync(connection, start, stop);
            }

            start = false;
            lost = end.Outcome;
            if (!end.Lost || _serverOutcome is not null || _resume.Token is null)
            {
                break;
            }

            if (await ReconnectAsync(end.Detail, stop) is not { } next)
            {
                break;
            }

            connection = next;
        }

        pumping.Cancel();
        var ffmpegFailure = await source;
        return _serverOutcome ?? ffmpegFailure ?? lost ?? (stop.IsCancellationRequested ? Outcome.Stopped : Outcome.Completed);
    }

    /// <summary>How one connection ended: <see cref="Lost"/> when it may be resumed, else the outcome it gives (null: completed normally).</summary>
    private readonly record struct ConnectionEnd(bool Lost, Outcome? Outcome, string Detail);

    /// <summary>Sends (the start message on the first connection, then the backlog, then <c>close</c>) and reads results until the connection ends.</summary>
    private async Task<ConnectionEnd> RunConnectionAsync(GatewayConnection connection, bool sendStart, CancellationToken stop)
    {
        // Results are read until the server closes, also after the user's stop, so nothing pending is lost.
        using var reading = new CancellationTokenSource();
        var events = ReadEventsAsync(connection, reading.Token);
        using var sending = new CancellationTokenSource();
        _ = events.ContinueWith(_ => sending.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var closeSent = await SendAsync(connection, sendStart, sending.Token);
        if (closeSent)
        {
            reading.CancelAfter(_options.DrainTimeout);
        }

        var closed = await events;
        if (!closed && reading.IsCancellationRequested)
        {
            return new ConnectionEnd(false, Outcome.Disconnect($"the gateway did not close the session within {_options.DrainTimeout.TotalSeconds:0} s"), "");
        }

        if (!closed || connection.CloseStatus is null)
        {
            return new ConnectionEnd(true, Outcome.Disconnect("the connection to the gateway was lost"), connection.LostReason ?? "no close handshake");
        }

        return connection.CloseStatus switch
        {
            WebSocketCloseStatus.NormalClosure => new ConnectionEnd(false, null, ""),
            var status => new ConnectionEnd(false, Outcome.Error(string.Create(CultureInfo.InvariantCulture,
                $"the gateway closed the session with {(int)status!} {connection.CloseDescription}")), ""),
        };
    }

    /// <summary>Sends until the backlog ends, then <c>close</c>; returns whether the close went out (false: the connection failed or ended first).</summary>
    private async Task<bool> SendAsync(GatewayConnection connection, bool sendStart, CancellationToken cancellationToken)
    {
        var buffer = new byte[AudioFormat.FrameBytes];
        try
        {
            if (sendStart)
            {
                await connection.SendTextAsync(_options.Start.ToJson(), cancellationToken);
            }

            while (await _backlog.ReadAsync(buffer, cancellationToken) is var read and > 0)
            {
                await connection.SendAudioAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            using var closeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            closeTimeout.CancelAfter(_options.DrainTimeout);
            await connection.SendTextAsync("""{"type":"close"}""", closeTimeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The connection ended (the event loop knows how): a lost one is resumed and this audio sent again.
            return false;
        }
    }

    /// <summary>ffmpeg's output into the backlog (paced when asked); returns an ffmpeg failure, or null.</summary>
    /// <param name="stop">The user's stop: an ffmpeg exit then is theirs, not a failure.</param>
    /// <param name="cancellationToken">Ends the pump: the user's stop, or the session is over.</param>
    private async Task<Outcome?> PumpSourceAsync(FfmpegProcess ffmpeg, CancellationToken stop, CancellationToken cancellationToken)
    {
        var buffer = new byte[AudioFormat.FrameBytes];
        long read = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var n = await ffmpeg.Output.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (n > 0)
                {
                    await _backlog.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                    read += n;
                    _view.Sent(read / (double)AudioFormat.BytesPerSecond);
                    if (_options.Speed > 0)
                    {
                        var due = TimeSpan.FromSeconds(read / (double)AudioFormat.BytesPerSecond / _options.Speed);
                        if (due > clock.Elapsed)
                        {
                            await Task.Delay(due - clock.Elapsed, cancellationToken);
                        }
                    }
                }

                if (n < buffer.Length)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Stopped by the user, or the session ended: the audio read so far is still sent.
            ffmpeg.Stop();
            _backlog.Complete();
            return null;
        }

        _backlog.Complete();
        var (exitCode, errors) = await ffmpeg.WaitAsync(CancellationToken.None);
        if (exitCode != 0 && !stop.IsCancellationRequested)
        {
            // ffmpeg shares the terminal's process group: Ctrl+C reaches it too, possibly a moment before our token.
            await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        }

        if (exitCode != 0 && stop.IsCancellationRequested)
        {
            return null;
        }

        if (exitCode != 0)
        {
            var what = _source.InputArguments.Contains("-f") ? "cannot capture audio from" : "cannot read";
            return Outcome.Ffmpeg(string.Create(CultureInfo.InvariantCulture, $"ffmpeg {what} {_source.Input} (exit code {exitCode}): {errors}"));
        }

        if (read == 0)
        {
            return Outcome.Ffmpeg($"ffmpeg decoded no audio from {_source.Input}");
        }

        return null;
    }

    /// <summary>Handles server messages until the close; returns whether the server closed the session (false: lost or timed out).</summary>
    private async Task<bool> ReadEventsAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in connection.ReadAsync(cancellationToken))
            {
                Handle(message);
            }

            return connection.CloseStatus is not null;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Handle(ServerMessage message)
    {
        switch (message.Type)
        {
            case "ready":
                OnReady(message);
                break;
            case "ack":
                _backlog.Acknowledge((long)(message.Number("offset") ?? 0));
                break;
            case "partial":
                _view.Partial(message.String("text") ?? "");
                break;
            case "final":
                _resume.Finals++;
                _view.Final(_transcript.AddFinal(message));
                break;
            case "wait":
                _serverOutcome ??= Outcome.Wait(string.Create(CultureInfo.InvariantCulture,
                    $"server full ({message.Number("max_clients")} sessions); estimated wait {message.Number("estimated_wait_seconds") ?? 0:0} s: {message.String("message")}"));
                break;
            case "error" when message.Flag("fatal") && message.String("code") is { } code && code.StartsWith("resume_", StringComparison.Ordinal):
                _serverOutcome ??= Outcome.ResumeFailed($"the gateway refused to resume the session ({code}): {message.String("message")}");
                break;
            case "error" when message.Flag("fatal"):
                _serverOutcome ??= Outcome.Error($"{message.String("code")}: {message.String("message")}");
                break;
            case "error":
                if (message.Number("segment_id") is not null)
                {
                    _resume.Finals++; // a segment's error stands in for its final (the count a resume presents)
                }

                _transcript.AddError(message);
                _view.Warning(string.Create(CultureInfo.InvariantCulture,
                    $"{message.String("code")}{(message.Number("segment_id") is { } id ? $" (segment {id})" : "")}: {message.String("message")}"));
                break;
            case "disconnect":
                _serverOutcome ??= Outcome.Disconnect($"{message.String("reason")}: {message.String("message")}");
                break;
            case "overflow":
                _transcript.AddOverflow(message);
                _view.Warning(message.String("message") ?? "audio dropped by the gateway");
                break;
            default:
                // speech_started, speech_ended, flushed: nothing to show beyond the partial line.
                break;
        }
    }

    private async Task WriteOutputsAsync(Outcome outcome)
    {
        var outputs = _options.Outputs;
        if (outputs.Srt is { } srt)
        {
            await File.WriteAllTextAsync(srt, SubtitleFormat.ToSrt(_transcript.Captions));
        }

        if (outputs.Vtt is { } vtt)
        {
            await File.WriteAllTextAsync(vtt, SubtitleFormat.ToVtt(_transcript.Captions));
        }

        if (outputs.Json is { } json)
        {
            await File.WriteAllTextAsync(json, _transcript.ToJson(_source.Input, outcome.Name, outcome.ExitCode));
        }
    }
}
