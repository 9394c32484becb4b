using System.Net.WebSockets;
using Gateway.Core.Protocols;
using Gateway.Core.Resume;
using Gateway.Core.Results;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Sessions;

public sealed partial class SessionHost
{
    /// <summary>
    /// A reconnect with a resume token: no admission (the session kept its slot while detached); the session takes the
    /// socket over, or the client gets a <c>resume_*</c> error and close 4002.
    /// </summary>
    /// <param name="access">The reconnect's caller (auth on): its key's revocation ends the session with <c>key_revoked</c>.</param>
    public async Task ResumeAsync(WebSocket socket, ISessionProtocol protocol, ResumeRequest request, CancellationToken aborted, Auth.SessionAccess? access = null)
    {
        var resume = _services.Resume;
        if (!resume.Enabled || !protocol.OffersResume)
        {
            await RefuseResumeAsync(socket, protocol, new ResumeRefusedEvent(ErrorCodes.ResumeDisabled, "resume is not enabled on this gateway", null));
            return;
        }

        if (_clients.IsShuttingDown)
        {
            await RejectAsync(socket, protocol, Session.ShutdownNotice, CloseCodes.GoingAway, "server shutdown");
            return;
        }

        var state = resume.Find(request.Token, out var session);
        if (session is null)
        {
            await RefuseResumeAsync(socket, protocol, state switch
            {
                TokenState.Used => new ResumeRefusedEvent(ErrorCodes.ResumeUsed, "this resume token was already used; resume with the token of the latest ready", null),
                TokenState.Expired => new ResumeRefusedEvent(ErrorCodes.ResumeExpired, "the session was not resumed within its resume window and ended", null),
                TokenState.Ended => new ResumeRefusedEvent(ErrorCodes.ResumeEnded, "the session has ended; start a new one", null),
                TokenState.OtherInstance => new ResumeRefusedEvent(
                    ErrorCodes.ResumeOtherInstance,
                    $"this session lives on gateway instance \"{ResumeToken.Issuer(request.Token)}\", not \"{resume.Instance}\"; resume there (route by its X-Gateway-Instance) or start a new session",
                    null),
                _ => new ResumeRefusedEvent(ErrorCodes.ResumeUnknown, "unknown resume token", null),
            });
            return;
        }

        var (connection, refusal) = await session.TryResumeAsync(socket, request, aborted);
        if (refusal is not null)
        {
            await RefuseResumeAsync(socket, protocol, refusal);
            return;
        }

        await session.RunResumedAsync(connection!, access);
    }

    private async Task RefuseResumeAsync(WebSocket socket, ISessionProtocol protocol, ServerEvent refusal)
    {
        var code = refusal is ResumeRefusedEvent r ? r.Code : ErrorCodes.InvalidConfig;
        _services.Metrics.SessionError(code);
        Log.ResumeRefused(_services.Logger, code);
        await RejectAsync(socket, protocol, refusal, CloseCodes.ResumeRefused, code);
    }

    private static partial class Log
    {
        [LoggerMessage(Diagnostics.EventIds.ResumeRefused, LogLevel.Information, "Resume refused: {Code}")]
        public static partial void ResumeRefused(ILogger logger, string code);
    }
}
