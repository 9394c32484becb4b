using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Audio;
using Gateway.Core.Diagnostics;
using Gateway.Core.Protocols;
using Microsoft.Extensions.Logging;
using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>
/// One admitted client session: receives its frames, decodes audio into its ring, enforces its limits and
/// sends it events in its protocol. Its life is one <see cref="SessionPhase"/> (<see cref="_state"/>). Every exit path goes through <see cref="Terminate"/> and
/// <see cref="FinishAsync"/>, which releases the admission slot exactly once. The connection is a
/// <see cref="SessionConnection"/>: when it drops, a session that offers resume detaches and outlives it (Session.Resume.cs).
/// </summary>
/// <remarks>
/// Concurrency: the receive loop of the current connection is the only audio producer; its send loop is the only
/// writer to the socket; timers and the pipeline reach the client only through <see cref="Emit"/> and
/// <see cref="Terminate"/>, which are thread-safe. Connections change under <see cref="_attach"/>, and a new one
/// starts only after the previous one's loops have stopped.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "_control and _resumeGate never create a wait handle (only WaitAsync/Release), so there is nothing to dispose.")]
public sealed partial class Session
{
    private readonly WebSocket _firstSocket;
    private readonly ISessionProtocol _protocol;
    private readonly AdmissionLease _lease;
    private readonly SessionServices _services;
    private readonly SessionOptions _options;
    private readonly SessionOutbox _outbox;
    private readonly ILogger _logger;
    private readonly Lock _attach = new();
    private StreamSettings _settings;
    private SessionAudio? _audio;
    private FrameDecoder? _decoder;
    private ISpeechPipeline? _pipeline;
    private ISessionObserver? _observer;
    private readonly SessionLifecycle _state = new();
    private SessionConnection? _current; // null while detached (and once ended)
    private SessionConnection? _last;
    private DisconnectReason _reason = DisconnectReason.ClientClosed;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = "";
    private ITimer? _abortTimer;
    private CancellationTokenRegistration _onShutdown;
    private CancellationTokenRegistration _onRevoked;
    private Auth.SessionAccess? _access; // the current connection's caller: a resume brings its own
    private int _finished;

    internal Session(WebSocket socket, ISessionProtocol protocol, StreamSettings initial, AdmissionLease lease, SessionServices services, Auth.SessionAccess? access = null)
    {
        _access = access;
        _firstSocket = socket;
        _protocol = protocol;
        _settings = initial;
        _lease = lease;
        _services = services;
        _options = services.Options;
        _logger = services.Logger;
        Id = $"s-{lease.Id:x}-{Guid.NewGuid():N}"[..24];
        _outbox = new SessionOutbox(_options.OutboxCapacity);
        _lastAudio = services.Time.GetTimestamp();
    }

    public string Id { get; }

    /// <summary>Why the session ended; meaningful once the session has finished.</summary>
    public DisconnectReason Reason => _reason;

    private bool Started => _decoder is not null;

    private GatewayMetrics Metrics => _services.Metrics;

    /// <summary>
    /// Runs the session's first connection: to the session's end, or until it detaches (the connection dropped and the
    /// session waits for a resume). Never throws for client behaviour.
    /// </summary>
    /// <param name="started">The start already parsed from a first message read before admission.</param>
    /// <param name="first">A first message read by the endpoint (root path detection), still to be handled.</param>
    public async Task RunAsync(CancellationToken aborted, StartResult? started = null, FirstMessageResult? first = null)
    {
        StartDeadlineTimer();
        _onShutdown = _lease.ShutdownRequested.UnsafeRegister(static s => ((Session)s!).OnServerShutdown(), this);
        if (_access is not null)
        {
            _onRevoked = _access.Claim().UnsafeRegister(static s => ((Session)s!).OnKeyRevoked(), this);
        }
        var connection = new SessionConnection(_firstSocket, aborted);
        lock (_attach)
        {
            _current = _last = connection;
        }

        await RunConnectionAsync(connection, async token =>
        {
            if (started is { Settings: { } settings } start)
            {
                await StartAsync(settings);
                if (start.Then != ControlKind.None)
                {
                    await OnControlAsync(start.Then, token);
                }
            }
            else if (first is { Status: FirstMessageStatus.Received } message)
            {
                await OnFirstMessageAsync(message, token);
            }
        });
    }

    /// <summary>One connection's life: its send loop, its receive loop, then either a detach or the session's end.</summary>
    private async Task RunConnectionAsync(SessionConnection connection, Func<CancellationToken, Task>? before)
    {
        _aborted = connection.Token;
        connection.Sending = SendLoopAsync(connection);
        try
        {
            if (before is not null)
            {
                await before(connection.Token);
            }

            await ReceiveLoopAsync(connection);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            OnTransportLost(connection, ex.Message);
        }
        catch (Exception ex)
        {
            Log.SessionFailed(_logger, ex, Id);
            Terminate(DisconnectReason.InternalError, new ErrorEvent(ErrorCodes.InternalError, "internal error; the session was closed", true), (WebSocketCloseStatus)CloseCodes.InternalError, "internal error");
        }

        try
        {
            if (connection.Detached)
            {
                // Detached: this connection's part is over, the session goes on without it.
                connection.Leave();
                await connection.Sending;
            }
            else
            {
                await FinishAsync(connection);
            }
        }
        finally
        {
            connection.Finished();
        }
    }

    /// <summary>Queues an event for the client. False when the session is closing or the client is not reading.</summary>
    internal bool Emit(ServerEvent serverEvent)
    {
        if (_state.HasEnded)
        {
            return false;
        }

        if (_outbox.TryEnqueue(serverEvent))
        {
            return true;
        }

        Terminate(DisconnectReason.SlowConsumer, null, WebSocketCloseStatus.PolicyViolation, "slow consumer: results were not read");
        return false;
    }

    /// <summary>
    /// Ends the session once: queues a last event (if any), then the send loop closes the socket with the given
    /// status; a detached session (no socket) finishes at once. Later calls do nothing, so the first reason wins.
    /// </summary>
    internal void Terminate(DisconnectReason reason, ServerEvent? last, WebSocketCloseStatus status, string description, bool onlyIfDetached = false)
    {
        SessionConnection? current;
        lock (_attach)
        {
            if ((onlyIfDetached && _state.Phase != SessionPhase.Detached) || !_state.TryEnd())
            {
                return;
            }

            current = _current;
        }

        _reason = reason;
        var (code, text) = _protocol.CloseFrame(reason, (int)status, description);
        _closeStatus = (WebSocketCloseStatus)code;
        _closeDescription = text;
        if (last is not null)
        {
            _outbox.TryEnqueue(last, force: true);
        }

        _outbox.Complete();
        _audio?.WakeProducer(); // a receive loop waiting for room sees the end
        if (current is null)
        {
            _ = Task.Run(() => FinishAsync(null));
            return;
        }

        // Bound the time to flush and close: a client that does not read or never answers our close frame is aborted.
        _abortTimer = _services.Time.CreateTimer(static s => ((WebSocket)s!).Abort(), current.Socket, _options.CloseGrace, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The session's end, once: the last connection flushed (or none), the pipeline disposed, the slot released.</summary>
    private async Task FinishAsync(SessionConnection? connection)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        // After this no shutdown drain can start; one already running finishes before the pipeline goes.
        await _onShutdown.DisposeAsync();
        await _onRevoked.DisposeAsync();
        if (Volatile.Read(ref _shutdownDrain) is { } drain)
        {
            await drain;
        }

        _outbox.Complete();
        if (connection is not null)
        {
            await connection.Sending;
        }
        else if (Volatile.Read(ref _last) is { } last)
        {
            await last.Done;
        }

        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }

        _observer?.Dispose();
        if (_decoder is not null)
        {
            Metrics.AudioAccepted(_audio!.Written, _decoder.DroppedSamples);
        }

        _deadline?.Dispose();
        _abortTimer?.Dispose();
        EndResume();
        _lease.Release(_reason);
        Log.SessionEnded(_logger, Id, _reason.Name(), _audio?.Written / 16 ?? 0);
    }

    /// <summary>
    /// The caller's key was revoked: the session ends now, without delivering pending results (the caller may no
    /// longer read them), with DISCONNECT <c>key_revoked</c> and close 4401.
    /// </summary>
    private void OnKeyRevoked()
    {
        Log.KeyRevoked(_logger, Id, _access!.Caller.KeyName);
        Terminate(
            DisconnectReason.KeyRevoked,
            new DisconnectEvent(DisconnectReason.KeyRevoked, $"the key \"{_access.Caller.KeyName}\" was revoked"),
            (WebSocketCloseStatus)CloseCodes.Unauthorized,
            "key revoked");
    }

    private void Fail(ClientError error)
    {
        Metrics.SessionError(error.Code);
        Log.ClientError(_logger, Id, error.Code, error.Message);
        Terminate(DisconnectReason.ProtocolError, new ErrorEvent(error.Code, error.Message, true), (WebSocketCloseStatus)error.CloseCode, error.Code);
    }

    /// <summary>
    /// Configures the session and sends ready; false (and a fatal error to the client) when the settings are refused,
    /// or when the gateway is already shutting down. The attachments (a room's fleet-wide speaker claim) are awaited
    /// outside the input lock; a session that closed meanwhile gives its attachment back.
    /// </summary>
    private async ValueTask<bool> StartAsync(StreamSettings settings)
    {
        lock (_input)
        {
            if (!_state.TakesAudio || !CheckLocked(settings))
            {
                return false;
            }
        }

        // Last of the checks (a room seat is taken here), so nothing can refuse the session after it.
        var attachment = await _services.Attachments.AttachAsync(Id, settings);
        lock (_input)
        {
            if (attachment.Error is { } refused)
            {
                Fail(refused);
                return false;
            }

            if (!_state.TakesAudio || Started)
            {
                attachment.Observer?.Dispose(); // closed (or started) while the attachment was decided
                return Started;
            }

            StartLocked(attachment.Settings!, attachment.Observer);
            return true;
        }
    }

    private bool CheckLocked(StreamSettings settings)
    {
        if (_access?.Room is { } room && !string.Equals(settings.Room, room, StringComparison.OrdinalIgnoreCase))
        {
            Fail(new ClientError(ErrorCodes.Forbidden, $"this grant is limited to room \"{room}\"; start with \"room\": \"{room}\"", CloseCodes.Forbidden));
            return false;
        }

        if (_services.Pipelines.Check(settings) is { } error)
        {
            Fail(error);
            return false;
        }

        return true;
    }

    private void StartLocked(StreamSettings settings, ISessionObserver? observer)
    {
        _observer = observer;
        _settings = settings;
        var capacity = (int)Math.Ceiling(_options.RingSeconds * AudioFormat.PipelineRate);
        _audio = new SessionAudio(capacity);
        _decoder = new FrameDecoder(settings.Format, _audio.Ring);
        var context = new SessionContext(Id, settings, _audio, Emit, _observer);
        _pipeline = _services.Pipelines.Create(context);
        _state.TryStart();
        Volatile.Write(ref _lastAudio, _services.Time.GetTimestamp()); // idle from when audio is taken: the start (a room seat, say) is the gateway's time
        Emit(new ReadyEvent(Id, settings, _lease.ExpiresAt, _audio.Capacity) { ResumeToken = OfferResume(), ResumeWindow = Resume.Window, Instance = _services.Resume.Instance });
        Log.SessionStarted(_logger, Id, _protocol.Name, settings.Format.Encoding.Name(), settings.Format.SampleRate, settings.Format.Channels);
    }
}
