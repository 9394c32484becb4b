using System.Net.WebSockets;
using Gateway.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>A real Kestrel gateway on a free loopback port for handshake benchmarks, and one whole handshake on it.</summary>
internal static class ListenGateway
{
    /// <summary>Settings every handshake benchmark shares: quiet logs, an unreachable upstream with no warm connections, room for every client.</summary>
    public static Dictionary<string, string?> BaseSettings(string dataDirectory) => new()
    {
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Upstream:Endpoints:0:Url"] = "ws://127.0.0.1:9/",
        ["Upstream:Endpoints:0:MinIdle"] = "0",
        ["Admission:MaxClients"] = "10000",
        ["Jobs:DataDirectory"] = dataDirectory,
    };

    /// <summary>Starts a gateway with <paramref name="settings"/>; returns it and its Deepgram <c>/v1/listen</c> URL.</summary>
    public static (WebApplication App, Uri Url) Start(Dictionary<string, string?> settings)
    {
        var app = GatewayApp.Build(["--Urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(settings));
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(new UriBuilder(address) { Scheme = "ws", Path = "/v1/listen", Query = "encoding=linear16&sample_rate=16000" }.Uri.ToString()));
    }

    /// <summary>Connect (admission, auth, 101) and close: what a client pays before its first audio frame.</summary>
    public static async Task HandshakeAsync(Uri url, string? authorization)
    {
        using var socket = new ClientWebSocket();
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        await socket.ConnectAsync(url, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }
}
