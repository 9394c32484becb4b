using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Protocols;
using Microsoft.Extensions.Logging;
using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>
/// Entry point for every streaming endpoint, whatever its protocol: admission first (a slot is reserved before
/// any per-session setup), then the session runs to its end. Endpoints hand over an accepted socket.
/// </summary>
public sealed partial class SessionHost
{
    private readonly ClientManager _clients;
    private readonly SessionServices _services;

    public SessionHost(ClientManager clients, SessionServices services)
    {
        _clients = clients;
        _services = services;
    }

    /// <param name="initial">Settings from the connection URL, or the error that makes them unusable.</param>
    /// <param name="first">The connection's first message when the endpoint already read it (root path detection).</param>
    /// <param name="access">The caller's room limit and revocation token (auth on), or null.</param>
    public async Task RunAsync(WebSocket socket, ISessionProtocol protocol, StartResult initial, CancellationToken aborted, FirstMessageResult? first = null, Auth.SessionAccess? access = null)
    {
        if (initial.Error is { } error)
        {
            await RejectAsync(socket, protocol, error);
            return;
        }

        StartResult? started = null;
        if (protocol.AdmitsAfterFirstMessage)
        {
            // The client is told who it is even when refused, so its first message is parsed before admission.
            first ??= await FirstMessage.ReadAsync(socket, _services.Options.MaxMessageBytes, _services.Admission.IdleTimeout, _services.Time, aborted);
            var parsed = ParseFirst(protocol, first.Value, initial.Settings!);
            if (parsed.Error is { } startError)
            {
                await RejectAsync(socket, protocol, startError);
                return;
            }

            started = parsed;
            first = null;
        }

        var admission = await _clients.TryAdmitAsync();
        if (admission.ShuttingDown)
        {
            await RejectAsync(socket, protocol, Session.ShutdownNotice, CloseCodes.GoingAway, "server shutdown");
            return;
        }

        if (!admission.Admitted)
        {
            Log.Rejected(_services.Logger, _clients.ActiveCount, admission.EstimatedWait.TotalSeconds);
            await RejectAsync(socket, protocol, new WaitEvent(admission.EstimatedWait, admission.MaxClients), CloseCodes.TryAgainLater, "server full");
            return;
        }

        var session = new Session(socket, protocol, initial.Settings!, admission.Lease!, _services, access);
        await session.RunAsync(aborted, started, first);
    }

    /// <summary>
    /// Runs a session on a slot the endpoint reserved before the upgrade (<see cref="ClientManager.TryAdmit"/>),
    /// so that a full gateway could refuse with an HTTP status instead (Deepgram's 429). The lease is the session's.
    /// </summary>
    public async Task RunAdmittedAsync(WebSocket socket, ISessionProtocol protocol, StartResult initial, AdmissionLease lease, CancellationToken aborted, Auth.SessionAccess? access = null)
    {
        if (initial.Error is { } error)
        {
            lease.Release(DisconnectReason.ProtocolError);
            await RejectAsync(socket, protocol, error);
            return;
        }

        var session = new Session(socket, protocol, initial.Settings!, lease, _services, access);
        await session.RunAsync(aborted);
    }

    private static StartResult ParseFirst(ISessionProtocol protocol, FirstMessageResult first, StreamSettings initial) => first.Status switch
    {
        FirstMessageStatus.Received when first.Type == WebSocketMessageType.Text => protocol.ParseStart(first.Message.Span, initial),
        FirstMessageStatus.Received => new StartResult(null, new ClientError(ErrorCodes.UnexpectedText, "the first message must be a JSON text message with the session options", CloseCodes.InvalidPayload)),
        FirstMessageStatus.TooBig => new StartResult(null, new ClientError(ErrorCodes.MessageTooBig, "the first message is too large", CloseCodes.MessageTooBig)),
        FirstMessageStatus.TimedOut => new StartResult(null, new ClientError(ErrorCodes.InvalidConfig, "no options message received in time", CloseCodes.PolicyViolation)),
        _ => new StartResult(null, new ClientError(ErrorCodes.InvalidConfig, "the connection closed before sending options", CloseCodes.Normal)),
    };

    /// <summary>Refuses a connection before its session starts: one error message in its protocol, then the error's close code.</summary>
    public Task RefuseAsync(WebSocket socket, ISessionProtocol protocol, ClientError error) => RejectAsync(socket, protocol, error);

    private async Task RejectAsync(WebSocket socket, ISessionProtocol protocol, ClientError error)
    {
        _services.Metrics.SessionError(error.Code);
        await RejectAsync(socket, protocol, new ErrorEvent(error.Code, error.Message, true), error.CloseCode, error.Code);
    }

    /// <summary>Sends one message and closes, waiting a bounded time for the client's close frame.</summary>
    private async Task RejectAsync(WebSocket socket, ISessionProtocol protocol, ServerEvent message, int closeCode, string description)
    {
        using var grace = new CancellationTokenSource(_services.Options.CloseGrace, _services.Time);
        try
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            var messages = new MessageBatch(256);
            protocol.Write(messages, message);
            for (var i = 0; i < messages.Count; i++)
            {
                await socket.SendAsync(messages[i], WebSocketMessageType.Text, true, grace.Token);
            }

            await socket.CloseAsync((WebSocketCloseStatus)closeCode, description, grace.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.Rejected, LogLevel.Information, "Connection refused: server full ({Active} sessions), estimated wait {WaitSeconds:F1} s")]
        public static partial void Rejected(ILogger logger, int active, double waitSeconds);

        [LoggerMessage(Diagnostics.EventIds.ProtocolNotDetected, LogLevel.Information, "Connection on the root path refused: no protocol recognised in its first message ({Status}, {Bytes} bytes)")]
        public static partial void ProtocolNotDetected(ILogger logger, FirstMessageStatus status, int bytes);
    }
}
