using Gateway.Core.Instance;

namespace Gateway.Server.Endpoints;

/// <summary><c>X-Gateway-Instance</c> on every response and WebSocket upgrade (<c>Gateway:InstanceHeader</c>), so clients and load-balancer logs know which gateway served them.</summary>
internal static class InstanceHeader
{
    public static IApplicationBuilder UseInstanceHeader(this WebApplication app)
    {
        var instance = app.Services.GetRequiredService<GatewayInstance>();
        if (!instance.SendsHeader)
        {
            return app;
        }

        var value = new Microsoft.Extensions.Primitives.StringValues(instance.Id);
        return app.Use((context, next) =>
        {
            context.Response.Headers[GatewayInstance.Header] = value;
            return next(context);
        });
    }
}
