using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback HTTP server (port 0) that serves one file at <c>/audio.wav</c> and redirects <c>/redirect?to=</c>;
/// counts the requests for the file, so a test can prove a refused URL was never fetched.
/// </summary>
internal sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FileServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>This server's <c>/redirect</c>: answers 302 to <paramref name="target"/>.</summary>
    public string RedirectTo(string target) => Url.Replace("/audio.wav", "/redirect?to=" + Uri.EscapeDataString(target), StringComparison.Ordinal);

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FileServer> StartAsync(byte[] file)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FileServer(app);
        app.MapGet("/audio.wav", (HttpContext context) =>
        {
            Interlocked.Increment(ref server._requests);
            return Results.Bytes(file, "audio/wav");
        });
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Url = address + "/audio.wav";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
