using Gateway.Core.Admission;
using Gateway.Core.Results;
using Gateway.Core.Rooms;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Ingest;

/// <summary>
/// One supervised source: ffmpeg decodes its first audio stream to 16 kHz mono PCM16, which is fed through an
/// <see cref="IngestSocket"/> into an ordinary session (admission slot, ring, VAD, segments, upstream, room).
/// When ffmpeg exits, stalls or the source drops, the ingest reconnects with exponential backoff and jitter while
/// silence keeps the session's stream clock (and so the room's) running; the gap is recorded and marked.
/// A session that ends on its own (max connection time) is replaced by the next one on the same ingest clock.
/// </summary>
/// <remarks>
/// Concurrency: the session loop and the source loop run on their own tasks; status fields are written by the
/// source loop and read by HTTP requests (volatile or locked); results arrive on the session's send loop.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "_stop has no timer (never CancelAfter) and lives as long as the ingest is listed; nothing to release.")]
internal sealed partial class Ingest
{
    private const int SamplesPerMs = 16;
    private const string ShutdownCode = "server_shutdown";
    private static readonly TimeSpan SilenceTick = TimeSpan.FromMilliseconds(100);
    private static readonly byte[] SilenceChunk = new byte[(int)SilenceTick.TotalMilliseconds * SamplesPerMs * 2];

    private readonly IngestRequest _request;
    private readonly IngestOptions _options;
    private readonly SessionHost _host;
    private readonly RoomRegistry _rooms;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<ClientError?> _firstSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamSettings _settings;
    private readonly string _redactedUrl;
    private volatile IngestSocket? _socket;
    private volatile IngestState _state = IngestState.Starting;
    private volatile string? _lastError;
    private volatile FfmpegLog? _log;
    private volatile string? _sourceFormat;
    private long _fedSamples;
    private long _sourceSamples;
    private long _sessionBase;
    private long _firstAudioAt;
    private long _lastAudioAt;
    private int _restarts;
    private Task _running = Task.CompletedTask;

    public Ingest(string id, IngestRequest request, IngestOptions options, SessionHost host, RoomRegistry rooms, TimeProvider time, ILogger logger)
    {
        Id = id;
        _request = request;
        _options = options;
        _host = host;
        _rooms = rooms;
        _time = time;
        _logger = logger;
        _redactedUrl = IngestUrlPolicy.Redact(request.Url);
        Room = request.Room ?? id;
        Speaker = request.Speaker ?? "source";
        _settings = StreamSettings.Default with
        {
            Room = Room,
            Speaker = Speaker,
            Language = request.Language,
            Hotwords = request.Hotwords ?? StreamSettings.Default.Hotwords,
            Segmentation = request.Segmentation,
        };
        Captions = new IngestCaptions(options);
        CreatedAt = time.GetUtcNow();
    }

    public string Id { get; }

    /// <summary>The API key that started the ingest, or null.</summary>
    public string? Owner => _request.Owner;

    public string Room { get; }

    public string Speaker { get; }

    public DateTimeOffset CreatedAt { get; }

    public IngestCaptions Captions { get; }

    public IngestState State => _state;

    public bool Ended => _state is IngestState.Stopped or IngestState.Failed;

    /// <summary>Audio position of the ingest clock (source audio and gap silence), in ms.</summary>
    public double PositionMs => Interlocked.Read(ref _fedSamples) / (double)SamplesPerMs;

    /// <summary>Completes when everything of the ingest has ended (session and ffmpeg).</summary>
    public Task Completion => _running;

    /// <summary>Starts the loops; the task completes once the first session was admitted (null) or refused (why).</summary>
    public Task<ClientError?> StartAsync()
    {
        _running = Task.Run(RunAsync);
        return _firstSession.Task;
    }

    /// <summary>Graceful stop: ffmpeg is stopped, the session delivers the results of the audio it took, then ends.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!Ended)
        {
            _state = IngestState.Stopping;
        }

        await _stop.CancelAsync();
        await _running.WaitAsync(cancellationToken);
    }

    public IngestSnapshot Snapshot()
    {
        var log = _log;
        var first = Interlocked.Read(ref _firstAudioAt);
        var lag = first == 0 || Ended ? 0 : Math.Max(0, _time.GetElapsedTime(first).TotalMilliseconds - PositionMs);
        return new IngestSnapshot(
            Id, _redactedUrl, Room, Speaker, _state, CreatedAt, _sourceFormat,
            Interlocked.Read(ref _sourceSamples) / (double)SamplesPerMs, PositionMs, Volatile.Read(ref _restarts), Captions.Finals, lag,
            _lastError, log?.Tail ?? [], [.. Captions.Gaps.Select(g => new IngestSnapshot.GapInfo(g.StartMs, g.EndMs))]);
    }

    private async Task RunAsync()
    {
        var source = Task.CompletedTask;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = new IngestSocket();
                var ready = new TaskCompletionSource<ClientError?>(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Exchange(ref _sessionBase, Interlocked.Read(ref _fedSamples));
                var sessionBase = Interlocked.Read(ref _sessionBase);
                var protocol = new IngestProtocol(e => OnSessionEvent(e, sessionBase, ready));
                socket.TryWriteText(IngestProtocol.StartMessage, last: false);
                var session = _host.RunAsync(socket, protocol, new Protocols.StartResult(_settings, null), CancellationToken.None);
                var refused = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), _time);
                _firstSession.TrySetResult(refused);
                if (refused is not null)
                {
                    if (refused.Code != ShutdownCode)
                    {
                        Fail(refused.Message);
                    }

                    socket.Abort();
                    await session;
                    break;
                }

                _socket = socket;
                if (source.IsCompleted)
                {
                    source = SourceLoopAsync(_stop.Token);
                }

                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using (_stop.Token.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped))
                {
                    await Task.WhenAny(session, stopped.Task);
                }

                if (!session.IsCompleted)
                {
                    await source; // ffmpeg stopped: no more audio is coming
                    socket.TryWriteText(IngestProtocol.CloseMessage, last: true);
                    await session;
                    break;
                }

                // The session ended by itself (max connection time, shutdown): the next one continues the clock.
                Log.SessionReplaced(_logger, Id);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            _firstSession.TrySetResult(new ClientError("ingest_failed", "the ingest's session did not start", 0));
            Fail("the ingest's session did not start");
        }
        finally
        {
            await _stop.CancelAsync();
            await source;
            if (_state != IngestState.Failed)
            {
                _state = IngestState.Stopped;
            }

            Log.Stopped(_logger, Id, _state, Captions.Finals);
        }
    }

    private void OnSessionEvent(ServerEvent e, long sessionBase, TaskCompletionSource<ClientError?> ready)
    {
        switch (e)
        {
            case ReadyEvent:
                ready.TrySetResult(null);
                break;
            case ErrorEvent { Fatal: true } error:
                ready.TrySetResult(new ClientError(error.Code, error.Message, 0));
                break;
            case WaitEvent wait:
                ready.TrySetResult(new ClientError("server_full", $"the gateway is full ({wait.MaxClients} sessions); try again later", 0));
                break;
            case DisconnectEvent disconnect:
                ready.TrySetResult(new ClientError(disconnect.Reason == DisconnectReason.ServerShutdown ? ShutdownCode : disconnect.Reason.Name(), disconnect.Message, 0));
                break;
            case FinalEvent final:
                Captions.AddFinal((sessionBase + final.StartSample) / (double)SamplesPerMs, (sessionBase + final.EndSample) / (double)SamplesPerMs, final.Text);
                break;
        }
    }

    private void Fail(string reason)
    {
        _lastError = reason;
        _state = IngestState.Failed;
        Log.Failed(_logger, Id, reason);
    }

    /// <summary>
    /// Tells the room's viewers that the source went away or came back (<c>source_lost</c>, <c>source_restored</c>),
    /// with the ingest's times on the current session's stream clock, which the room maps like the session's finals.
    /// </summary>
    private void PublishSource(RoomEventKind kind, double startMs, double endMs, string? reason)
    {
        var baseMs = Interlocked.Read(ref _sessionBase) / (double)SamplesPerMs;
        _rooms.PublishSourceEvent(Room, Speaker, kind, startMs - baseMs, endMs - baseMs, reason);
    }

    /// <summary>Feeds the current session; during a gap, silence at real-time pace keeps the session's clock running.</summary>
    private async ValueTask FeedAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        if (_socket is { } socket && await socket.WriteAudioAsync(pcm, cancellationToken))
        {
            Interlocked.Add(ref _fedSamples, pcm.Length / 2);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.IngestStarted, LogLevel.Information, "Ingest {IngestId}: ffmpeg started for {Url} (attempt {Attempt})")]
        public static partial void FfmpegStarted(ILogger logger, string ingestId, string url, int attempt);

        [LoggerMessage(Diagnostics.EventIds.IngestRunning, LogLevel.Information, "Ingest {IngestId}: audio flowing ({Format})")]
        public static partial void Running(ILogger logger, string ingestId, string? format);

        [LoggerMessage(Diagnostics.EventIds.IngestReconnecting, LogLevel.Warning, "Ingest {IngestId}: {Reason}; reconnecting in {DelayMs:F0} ms (attempt {Attempt})")]
        public static partial void Reconnecting(ILogger logger, string ingestId, string reason, double delayMs, int attempt);

        [LoggerMessage(Diagnostics.EventIds.IngestFailed, LogLevel.Warning, "Ingest {IngestId} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string ingestId, string reason);

        [LoggerMessage(Diagnostics.EventIds.IngestStopped, LogLevel.Information, "Ingest {IngestId} ended ({State}) after {Finals} finals")]
        public static partial void Stopped(ILogger logger, string ingestId, IngestState state, long finals);

        [LoggerMessage(Diagnostics.EventIds.IngestSessionReplaced, LogLevel.Information, "Ingest {IngestId}: its session ended; a new one continues the ingest's clock")]
        public static partial void SessionReplaced(ILogger logger, string ingestId);

        [LoggerMessage(Diagnostics.EventIds.IngestStderr, LogLevel.Debug, "Ingest {IngestId}: ffmpeg: {Line}")]
        public static partial void Stderr(ILogger logger, string ingestId, string line);
    }
}
