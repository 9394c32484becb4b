using System.Globalization;
using System.Buffers;
using CliWrap;

namespace Gateway.Core.Ingest;

internal sealed partial class Ingest
{
    private const int ReadChunkBytes = 8 * 1024;

    /// <summary>Runs ffmpeg until the ingest stops; every end of a run (exit, stall, drop) is a reconnect after a backoff.</summary>
    private async Task SourceLoopAsync(CancellationToken stop)
    {
        var attempt = 0; // consecutive runs without audio
        var gap = new GapFill(this);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                attempt++;
                var log = new FfmpegLog(_request.Url, _redactedUrl);
                _log = log;
                var (gotAudio, reason) = await RunFfmpegAsync(log, gap, attempt, stop);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (gotAudio)
                {
                    attempt = 0;
                }

                _lastError = reason;
                Interlocked.Increment(ref _restarts);
                if (_options.MaxAttempts > 0 && attempt >= _options.MaxAttempts)
                {
                    Fail($"{reason} (gave up after {attempt} attempts without audio)");
                    await _stop.CancelAsync();
                    return;
                }

                _state = IngestState.Reconnecting;
                gap.Begin(reason);
                var delay = Backoff(Math.Max(attempt, 1));
                Log.Reconnecting(_logger, Id, reason, delay.TotalMilliseconds, attempt + 1);
                await Task.Delay(delay, _time, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await gap.EndAsync(mark: false);
        }
    }

    /// <summary>One ffmpeg process; returns whether it produced audio and why it ended.</summary>
    private async Task<(bool GotAudio, string Reason)> RunFfmpegAsync(FfmpegLog log, GapFill gap, int attempt, CancellationToken stop)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var stalled = 0;
        var gotAudio = false;
        var mapsMedia = false;
        var formatSeen = false;
        Volatile.Write(ref _lastAudioAt, _time.GetTimestamp());
        using var watchdog = _time.CreateTimer(
            _ =>
            {
                if (_time.GetElapsedTime(Volatile.Read(ref _lastAudioAt)) > _options.StallTimeout && Interlocked.Exchange(ref stalled, 1) == 0)
                {
                    run.Cancel(); // CliWrap kills ffmpeg
                }
            },
            null,
            TimeSpan.FromSeconds(0.5),
            TimeSpan.FromSeconds(0.5));

        async Task PumpAsync(Stream output, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
            var bytes = 0L;
            try
            {
                int read;
                while ((read = await output.ReadAsync(buffer.AsMemory(0, ReadChunkBytes), cancellationToken)) > 0)
                {
                    Volatile.Write(ref _lastAudioAt, _time.GetTimestamp());
                    if (!formatSeen && log.SourceFormat is { } format)
                    {
                        _sourceFormat = format; // stderr's input dump and stdout's audio race: taken once it is parsed
                        formatSeen = true;
                    }

                    if (!gotAudio)
                    {
                        gotAudio = true;
                        await gap.EndAsync(mark: true);
                        mapsMedia = !Captions.HasMediaStart; // the first run with audio: the ingest's clock starts on its source's timeline
                        Interlocked.CompareExchange(ref _firstAudioAt, _time.GetTimestamp(), 0);
                        _state = IngestState.Running;
                        Log.Running(_logger, Id, _sourceFormat);
                    }

                    if (mapsMedia && log.StartSeconds is { } start)
                    {
                        Captions.SetMediaStart(start); // stderr's input dump and stdout's audio race: set once it is parsed
                        mapsMedia = false;
                    }

                    bytes += read;
                    Interlocked.Add(ref _sourceSamples, read / 2);
                    await FeedAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (bytes % 2 != 0)
            {
                await FeedAsync(new byte[1], cancellationToken); // complete the torn sample, so the silence after it stays silence
            }
        }

        Log.FfmpegStarted(_logger, Id, _redactedUrl, attempt);
        try
        {
            var result = await Cli.Wrap(_options.FfmpegPath)
                .WithArguments(FfmpegArguments())
                .WithValidation(CommandResultValidation.None)
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(PipeTarget.Create(PumpAsync))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(log.Add))
                .ExecuteAsync(run.Token);
            return (gotAudio, log.Reason(result.ExitCode));
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return (gotAudio, string.Create(CultureInfo.InvariantCulture, $"no audio from the source for {_options.StallTimeout.TotalSeconds:0.#} s (stalled)"));
        }
        catch (OperationCanceledException)
        {
            return (gotAudio, "stopped");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return (false, $"ffmpeg could not be started ({_options.FfmpegPath}): {ex.Message}");
        }
        finally
        {
            if (mapsMedia)
            {
                Captions.SetMediaStart(log.StartSeconds); // never parsed: cue time 0 is media time 0
            }
        }
    }

    /// <summary>
    /// Input first, bounded to the allowed network protocols (<c>-protocol_whitelist</c>: never file, concat, subfile,
    /// pipe or data, whatever a playlist or redirect points at); socket timeouts so a dead source ends ffmpeg by itself
    /// (and an orphaned ffmpeg, whose stdout then has no reader, dies on its next write). Output: the first audio
    /// stream only, down-mixed and resampled by ffmpeg to the pipeline's 16 kHz mono PCM16.
    /// </summary>
    internal IReadOnlyList<string> FfmpegArguments()
    {
        var scheme = new Uri(_request.Url).Scheme.ToLowerInvariant();
        var timeoutUs = ((long)_options.StallTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info" };
        arguments.AddRange(["-protocol_whitelist", string.Join(',', _options.Schemes.Select(s => s.ToLowerInvariant()).Concat(TransportProtocols).Distinct())]);
        if (scheme is "rtsp" or "rtsps")
        {
            arguments.AddRange(["-rtsp_transport", "tcp", "-timeout", timeoutUs]);
        }
        else
        {
            arguments.AddRange(["-rw_timeout", timeoutUs]);
        }

        arguments.AddRange(["-i", _request.Url, "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"]);
        return arguments;
    }

    /// <summary>The network layers under the allowed schemes (RTSP over TCP/UDP/RTP, TLS, HLS AES segments).</summary>
    private static readonly string[] TransportProtocols = ["tcp", "udp", "rtp", "tls", "httpproxy", "crypto"];

    /// <summary>Exponential, bounded, with "equal jitter": half the step fixed, half random, so many ingests of one dead source spread out.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var step = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(step / 2 + Random.Shared.NextDouble() * step / 2);
    }

    /// <summary>Silence at real-time pace while the source is away: the session (and the room) keep their clock; the span becomes a marked gap.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "_cancel is disposed by EndAsync, which the source loop always calls last.")]
    private sealed class GapFill(Ingest ingest)
    {
        private CancellationTokenSource? _cancel;
        private Task _filling = Task.CompletedTask;
        private double _startMs = -1;

        public void Begin(string reason)
        {
            if (_cancel is not null || Interlocked.Read(ref ingest._firstAudioAt) == 0)
            {
                return; // the ingest's clock starts with the source's first audio
            }

            _startMs = ingest.PositionMs;
            _cancel = new CancellationTokenSource();
            _filling = FillAsync(_cancel.Token);
            ingest.PublishSource(Rooms.RoomEventKind.SourceLost, _startMs, _startMs, reason);
        }

        public async Task EndAsync(bool mark)
        {
            if (_cancel is null)
            {
                return;
            }

            await _cancel.CancelAsync();
            await _filling;
            _cancel.Dispose();
            _cancel = null;
            if (mark && Interlocked.Read(ref ingest._firstAudioAt) != 0)
            {
                var endMs = ingest.PositionMs;
                ingest.Captions.AddGap(_startMs, endMs);
                ingest.PublishSource(Rooms.RoomEventKind.SourceRestored, _startMs, endMs, null);
            }
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(SilenceTick, ingest._time);
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    await ingest.FeedAsync(SilenceChunk, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // The source is back (or the ingest stops).
            }
        }
    }
}
