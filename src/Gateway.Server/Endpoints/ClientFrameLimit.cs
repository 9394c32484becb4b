using Gateway.Core.Sessions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Puts a <see cref="FrameLimitStream"/> under every WebSocket the gateway accepts (HTTP/1.1 upgrade and HTTP/2
/// extended CONNECT), so a client frame whose header declares more than <c>Sessions:MaxMessageBytes</c> is refused
/// with close 1009 as soon as the header is read, on every endpoint. Runs before <c>UseWebSockets</c>, which
/// captures the upgrade feature when a request enters it.
/// </summary>
internal static class ClientFrameLimit
{
    public static void UseClientFrameLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<Gateway.Core.Sessions.SessionOptions>>().Value.MaxMessageBytes;
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new GuardedUpgrade(upgrade, limit, time));
            }
            else if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
            {
                context.Features.Set<IHttpExtendedConnectFeature>(new GuardedConnect(connect, limit, time));
            }

            return next(context);
        });
    }

    private sealed class GuardedUpgrade(IHttpUpgradeFeature inner, long limit, TimeProvider time) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => new FrameLimitStream(await inner.UpgradeAsync(), limit, time);
    }

    private sealed class GuardedConnect(IHttpExtendedConnectFeature inner, long limit, TimeProvider time) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => new FrameLimitStream(await inner.AcceptAsync(), limit, time);
    }
}
