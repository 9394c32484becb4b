using System.Globalization;
using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Diagnostics;
using Gateway.Core.Resume;
using Gateway.Core.Results;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Sessions;

/// <summary>
/// Resume (docs/protocol.md, "Resume"): a session whose protocol offers it gets a token in <c>ready</c> and an
/// <c>ack</c> of the audio it holds every <see cref="AckInterval"/>. When its connection drops it detaches instead of
/// ending: it keeps its slot, its pipeline finishes the audio it has and results queue in the outbox, for
/// <see cref="SessionOptions.ResumeWindow"/>. A reconnect with the token takes over: the overlap of resent audio is
/// skipped, unreceived finals are replayed, then live results continue. A reconnect while still attached replaces the
/// old connection (it may be half-open: the client knows it is gone before the server does).
/// </summary>
public sealed partial class Session
{
    private static readonly TimeSpan AckInterval = TimeSpan.FromMilliseconds(500);

    private readonly AckEvent _ack = new();
    private readonly SemaphoreSlim _resumeGate = new(1, 1);
    private string? _token;
    private ITimer? _ackTimer;
    private ITimer? _windowTimer;
    private int _ackQueued;
    private int _countedDetached;
    private long _resendBytes; // receive loop only: bytes of resent audio still to skip
    private long _detachedAt;

    private ResumeRegistry Resume => _services.Resume;

    private bool Resumable => Resume.Enabled && _protocol.OffersResume;

    /// <summary>True once the session has finished (its slot is released); a token that still names it resumes nothing.</summary>
    internal bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>At start: the first token, and the ack timer. Null when this session cannot be resumed.</summary>
    private string? OfferResume()
    {
        if (!Resumable)
        {
            return null;
        }

        var token = Resume.Issue(this);
        Volatile.Write(ref _token, token);
        _ackTimer = _services.Time.CreateTimer(static s => ((Session)s!).OnAckTick(), this, AckInterval, AckInterval);
        return token;
    }

    /// <summary>PERF: one reused event, queued only when the offset moved and the previous ack has been written.</summary>
    private void OnAckTick()
    {
        if (_state.Phase != SessionPhase.Streaming || _decoder is not { } decoder)
        {
            return;
        }

        var offset = decoder.FramesIn;
        if (offset == _ack.Offset || Interlocked.CompareExchange(ref _ackQueued, 1, 0) != 0)
        {
            return;
        }

        _ack.Offset = offset;
        if (!_outbox.TryEnqueue(_ack))
        {
            Volatile.Write(ref _ackQueued, 0);
        }
    }

    /// <summary>The connection failed without a close handshake: detach when the session can be resumed, else end.</summary>
    private void OnTransportLost(SessionConnection connection, string detail)
    {
        if (_state.HasEnded)
        {
            return;
        }

        if (Resumable && Volatile.Read(ref _token) is not null)
        {
            bool detached;
            lock (_attach)
            {
                detached = _state.TryDetach();
                if (detached)
                {
                    _current = null;
                }
            }

            if (detached)
            {
                connection.Detached = true;
                _decoder!.DiscardPending();
                _outbox.Detach();
                Interlocked.Exchange(ref _countedDetached, 1);
                Resume.Detached();
                _detachedAt = _services.Time.GetTimestamp();
                _windowTimer = _services.Time.CreateTimer(static s => ((Session)s!).OnResumeWindowEnded(), this, Resume.Window, Timeout.InfiniteTimeSpan);
                Log.Detached(_logger, Id, detail, _decoder.FramesIn, Resume.Window.TotalSeconds);
                return;
            }
        }

        Terminate(DisconnectReason.ClientAborted, null, WebSocketCloseStatus.EndpointUnavailable, "");
        Log.ClientAborted(_logger, Id, detail);
    }

    private void OnResumeWindowEnded()
    {
        Log.ResumeWindowEnded(_logger, Id, Resume.Window.TotalSeconds);
        Terminate(DisconnectReason.ResumeExpired, null, WebSocketCloseStatus.EndpointUnavailable, "resume window expired", onlyIfDetached: true);
    }

    /// <summary>
    /// A reconnect presenting this session's token: takes over (replacing a connection still attached) and returns the
    /// new connection to run, or the refusal to send. The token stays valid after a refused gap, so the client can retry.
    /// </summary>
    internal async Task<(SessionConnection? Connection, ServerEvent? Refusal)> TryResumeAsync(WebSocket socket, ResumeRequest request, CancellationToken aborted)
    {
        await _resumeGate.WaitAsync(aborted); // one reconnect at a time
        try
        {
            if (!string.Equals(request.Token, Volatile.Read(ref _token), StringComparison.Ordinal))
            {
                return (null, Refused(ErrorCodes.ResumeUsed, "this resume token was already used; resume with the token of the latest ready"));
            }

            SessionConnection? previous;
            lock (_attach)
            {
                previous = _state.Phase == SessionPhase.Streaming ? _current : null;
            }

            previous?.Leave(); // replace: its loops stop, it detaches, and this connection takes over
            if (previous is not null || _state.Phase == SessionPhase.Detached)
            {
                await Volatile.Read(ref _last)!.Done.WaitAsync(aborted);
            }

            SessionConnection connection;
            long frames;
            lock (_attach)
            {
                if (_state.Phase != SessionPhase.Detached)
                {
                    return (null, _state.HasEnded && _reason == DisconnectReason.ResumeExpired
                        ? Refused(ErrorCodes.ResumeExpired, $"the session waited its resume window of {Seconds(Resume.Window)} s and ended")
                        : Refused(ErrorCodes.ResumeEnded, "the session has ended; start a new one"));
                }

                frames = _decoder!.FramesIn;
                if (request.Offset > frames)
                {
                    return (null, new ResumeRefusedEvent(ErrorCodes.ResumeGap, $"offset {request.Offset} is beyond the audio the server has ({frames} sample frames); resend from offset {frames}", frames));
                }

                if (request.Finals > _outbox.SentTerminal)
                {
                    return (null, Refused(ErrorCodes.InvalidConfig, $"finals={request.Finals} but the server sent {_outbox.SentTerminal} final(s) in this session"));
                }

                _state.TryReattach();
                connection = new SessionConnection(socket, aborted);
                _current = _last = connection;
            }

            _windowTimer?.Dispose();
            if (Interlocked.Exchange(ref _countedDetached, 0) == 1)
            {
                Resume.Reattached();
            }

            Resume.Retire(request.Token, TokenState.Used);
            var token = Resume.Issue(this);
            Volatile.Write(ref _token, token);
            _resendBytes = (frames - request.Offset) * _settings.Format.FrameBytes;
            Volatile.Write(ref _lastAudio, _services.Time.GetTimestamp());
            _outbox.Reattach(request.Finals, lost => new ReadyEvent(Id, _settings, _lease.ExpiresAt, _audio!.Capacity)
            {
                ResumeToken = token, ResumeWindow = Resume.Window, ResumedAt = frames, FinalsLost = lost, Instance = _services.Resume.Instance,
            });
            Log.Resumed(_logger, Id, frames, frames - request.Offset, _services.Time.GetElapsedTime(_detachedAt).TotalMilliseconds);
            return (connection, null);
        }
        finally
        {
            _resumeGate.Release();
        }
    }

    /// <summary>
    /// Runs a resumed connection, as <see cref="RunAsync"/> runs the first. With auth on, the resume's caller takes
    /// over the revocation watch: the first connection's registration ended with its request, and a connection nobody
    /// claims is cut by the middleware, so a revoked key's resumed session would end without <c>key_revoked</c>.
    /// </summary>
    internal async Task RunResumedAsync(SessionConnection connection, Auth.SessionAccess? access)
    {
        if (access is not null)
        {
            await _onRevoked.DisposeAsync();
            _access = access;
            _onRevoked = access.Claim().UnsafeRegister(static s => ((Session)s!).OnKeyRevoked(), this);
        }

        await RunConnectionAsync(connection, null);
    }

    /// <summary>At the session's end: the token resumes nothing any more, the timers stop.</summary>
    private void EndResume()
    {
        _ackTimer?.Dispose();
        _windowTimer?.Dispose();
        if (Interlocked.Exchange(ref _countedDetached, 0) == 1)
        {
            Resume.Reattached();
        }

        if (Volatile.Read(ref _token) is { } token)
        {
            Resume.Retire(token, _reason == DisconnectReason.ResumeExpired ? TokenState.Expired : TokenState.Ended);
        }
    }

    private static ResumeRefusedEvent Refused(string code, string message) => new(code, message, null);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(EventIds.SessionDetached, LogLevel.Information, "Session {SessionId} connection dropped ({Detail}); detached at {Offset} sample frames, resumable for {WindowSeconds} s")]
        public static partial void Detached(ILogger logger, string sessionId, string detail, long offset, double windowSeconds);

        [LoggerMessage(EventIds.SessionResumed, LogLevel.Information, "Session {SessionId} resumed at {Offset} sample frames ({Overlap} resent frames skipped) after {AwayMs:F0} ms away")]
        public static partial void Resumed(ILogger logger, string sessionId, long offset, long overlap, double awayMs);

        [LoggerMessage(EventIds.ResumeWindowEnded, LogLevel.Information, "Session {SessionId} was not resumed within {WindowSeconds} s; ending")]
        public static partial void ResumeWindowEnded(ILogger logger, string sessionId, double windowSeconds);
    }
}
