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
internal sealed class CaptionSession
{
    private readonly AudioSource _source;
    private readonly SessionOptions _options;
    private readonly LiveCaptions _view;
    private readonly Transcript _transcript = new();
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

            Outcome outcome;
            await using (connection)
            {
                outcome = await _view.RunAsync(() => StreamAsync(ffmpeg, connection, cancellationToken));
            }

            if (outcome.ExitCode != ExitCodes.Wait)
            {
                await WriteOutputsAsync(outcome);
            }

            return outcome;
        }
    }

    private async Task<Outcome> StreamAsync(FfmpegProcess ffmpeg, GatewayConnection connection, CancellationToken stop)
    {
        // Results are read until the server closes, also after the user's stop, so nothing pending is lost.
        using var reading = new CancellationTokenSource();
        var events = ReadEventsAsync(connection, reading.Token);
        using var pumping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _ = events.ContinueWith(_ => pumping.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var ffmpegFailure = await PumpAsync(ffmpeg, connection, pumping.Token);

        if (connection.CanSend)
        {
            try
            {
                using var closeTimeout = new CancellationTokenSource(_options.DrainTimeout);
                await connection.SendTextAsync("""{"type":"close"}""", closeTimeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server already ended the session; the event loop knows why.
            }
        }

        reading.CancelAfter(_options.DrainTimeout);
        var closed = await events;
        if (_serverOutcome is { } server)
        {
            return server;
        }

        if (ffmpegFailure is not null)
        {
            return ffmpegFailure;
        }

        if (!closed)
        {
            return Outcome.Disconnect(reading.IsCancellationRequested
                ? $"the gateway did not close the session within {_options.DrainTimeout.TotalSeconds:0} s"
                : "the connection to the gateway was lost");
        }

        return connection.CloseStatus switch
        {
            WebSocketCloseStatus.NormalClosure => stop.IsCancellationRequested ? Outcome.Stopped : Outcome.Completed,
            { } status => Outcome.Error(string.Create(CultureInfo.InvariantCulture, $"the gateway closed the session with {(int)status} {connection.CloseDescription}")),
            null => Outcome.Disconnect("the connection to the gateway was lost"),
        };
    }

    /// <summary>Sends the start message and the audio; returns an ffmpeg failure, or null.</summary>
    private async Task<Outcome?> PumpAsync(FfmpegProcess ffmpeg, GatewayConnection connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[AudioFormat.FrameBytes];
        long sent = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await connection.SendTextAsync(_options.Start.ToJson(), cancellationToken);
            while (true)
            {
                var read = await ffmpeg.Output.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (read > 0)
                {
                    await connection.SendAudioAsync(buffer.AsMemory(0, read), cancellationToken);
                    sent += read;
                    _view.Sent(sent / (double)AudioFormat.BytesPerSecond);
                    if (_options.Speed > 0)
                    {
                        var due = TimeSpan.FromSeconds(sent / (double)AudioFormat.BytesPerSecond / _options.Speed);
                        if (due > clock.Elapsed)
                        {
                            await Task.Delay(due - clock.Elapsed, cancellationToken);
                        }
                    }
                }

                if (read < buffer.Length)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // Stopped by the user, or the server ended the session (the event loop reports why).
            ffmpeg.Stop();
            return null;
        }

        var (exitCode, errors) = await ffmpeg.WaitAsync(CancellationToken.None);
        if (exitCode != 0 && !cancellationToken.IsCancellationRequested)
        {
            // ffmpeg shares the terminal's process group: Ctrl+C reaches it too, possibly a moment before our token.
            await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        }

        if (exitCode != 0 && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (exitCode != 0)
        {
            var what = _source.InputArguments.Contains("-f") ? "cannot capture audio from" : "cannot read";
            return Outcome.Ffmpeg(string.Create(CultureInfo.InvariantCulture, $"ffmpeg {what} {_source.Input} (exit code {exitCode}): {errors}"));
        }

        if (sent == 0)
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
                _transcript.SessionId = message.String("session_id");
                _view.Notice($"connected to {_options.Server} (session {_transcript.SessionId})");
                break;
            case "partial":
                _view.Partial(message.String("text") ?? "");
                break;
            case "final":
                _view.Final(_transcript.AddFinal(message));
                break;
            case "wait":
                _serverOutcome ??= Outcome.Wait(string.Create(CultureInfo.InvariantCulture,
                    $"server full ({message.Number("max_clients")} sessions); estimated wait {message.Number("estimated_wait_seconds") ?? 0:0} s: {message.String("message")}"));
                break;
            case "error" when message.Flag("fatal"):
                _serverOutcome ??= Outcome.Error($"{message.String("code")}: {message.String("message")}");
                break;
            case "error":
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
