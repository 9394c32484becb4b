using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Gateway.Cli.Tests.Infrastructure;

/// <summary>Kestrel serving one folder on an ephemeral loopback port (an HLS origin for the tests).</summary>
internal sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly List<string> _requests;

    private StaticHttpServer(WebApplication app, Uri url, List<string> requests)
    {
        _app = app;
        Url = url;
        _requests = requests;
    }

    public Uri Url { get; }

    /// <summary>Paths requested so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<StaticHttpServer> StartAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = new List<string>();
        app.Use((context, next) =>
        {
            lock (requests)
            {
                requests.Add(context.Request.Path);
            }

            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), ServeUnknownFileTypes = true });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new StaticHttpServer(app, new Uri(address), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
