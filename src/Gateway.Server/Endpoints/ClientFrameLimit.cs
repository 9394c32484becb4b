using Gateway.Core.Diagnostics;
using Gateway.Core.Sessions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Puts a <see cref="FrameLimitStream"/> under every WebSocket the gateway accepts (HTTP/1.1 upgrade and HTTP/2
/// extended CONNECT), so a client frame whose header declares more than <c>Sessions:MaxMessageBytes</c> is refused
/// with close 1009 as soon as the header is read, on every endpoint. Runs before <c>UseWebSockets</c>, which
/// captures the upgrade feature when a request enters it. The refusal is counted here
/// (<c>gateway.session.errors{code=message_too_big}</c>) and logged once: the endpoint above only sees the client's
/// close 1009.
/// </summary>
internal static partial class ClientFrameLimit
{
    public static void UseClientFrameLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<Gateway.Core.Sessions.SessionOptions>>().Value.MaxMessageBytes;
        var time = app.Services.GetRequiredService<TimeProvider>();
        var metrics = app.Services.GetRequiredService<GatewayMetrics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientFrameLimit));
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new GuardedUpgrade(upgrade, new Guard(context, limit, time, metrics, logger)));
            }
            else if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
            {
                context.Features.Set<IHttpExtendedConnectFeature>(new GuardedConnect(connect, new Guard(context, limit, time, metrics, logger)));
            }

            return next(context);
        });
    }

    /// <summary>What a guarded connection needs: the limit, the clock, and where its refusal is reported.</summary>
    private sealed class Guard(HttpContext context, long limit, TimeProvider time, GatewayMetrics metrics, ILogger logger)
    {
        public FrameLimitStream Wrap(Stream upgraded) => new FrameLimitStream(upgraded, limit, time, Refused);

        private void Refused(long declared)
        {
            metrics.SessionError(ErrorCodes.MessageTooBig);
            Log.FrameRefused(logger, context.Connection.Id, context.Request.Path.Value ?? "/", declared, limit);
        }
    }

    private sealed class GuardedUpgrade(IHttpUpgradeFeature inner, Guard guard) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => guard.Wrap(await inner.UpgradeAsync());
    }

    private sealed class GuardedConnect(IHttpExtendedConnectFeature inner, Guard guard) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => guard.Wrap(await inner.AcceptAsync());
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ClientFrameRefused, LogLevel.Information, "Connection {ConnectionId} on {Path}: a frame header declared {Declared} bytes, over the {Limit}-byte message limit; closed with 1009")]
        public static partial void FrameRefused(ILogger logger, string connectionId, string path, long declared, long limit);
    }
}
