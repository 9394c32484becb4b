using Gateway.Core;
using Gateway.Core.Admission;
using Gateway.Core.Auth;
using Gateway.Core.Configuration;
using Gateway.Core.Diagnostics;
using Gateway.Server.Health;
using Gateway.Server.Endpoints;
using Serilog;

namespace Gateway.Server;

/// <summary>Builds the gateway's web application: configuration, logging, engine, endpoints.</summary>
public static class GatewayApp
{
    /// <param name="configure">Lets tests and embedders adjust the builder (configuration, services) before it is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json is copied next to the binary, so the gateway runs from any working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        AddConfigFile(builder.Configuration);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddSerilog(
            (services, logger) => logger.MinimumLevel.Override(ReadinessLog.FrameworkCategory, Serilog.Events.LogEventLevel.Fatal) // ReadinessLog logs changes instead
                .ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services),
            preserveStaticLogger: true);
        builder.Services.AddGatewayCore(builder.Configuration);
        builder.Services.AddHealthChecks()
            .AddCheck<VadReadiness>("vad", tags: [HealthEndpoints.ReadinessTag])
            .AddCheck<UpstreamReadiness>("upstream", tags: [HealthEndpoints.ReadinessTag])
            .AddCheck<DispatchReadiness>("dispatch", tags: [HealthEndpoints.ReadinessTag])
            .AddCheck<JobStoreReadiness>("jobs", tags: [HealthEndpoints.ReadinessTag])
            .AddCheck<RedisReadiness>("redis", tags: [HealthEndpoints.ReadinessTag]);
        builder.Services.AddSingleton<ReadinessLog>();
        builder.Services.AddOpenApi();
        configure?.Invoke(builder);

        var app = builder.Build();

        // Fail fast with every invalid value listed, before anything listens.
        OptionsCheck.Run(app.Services);

        // Listen from the start: measurements made before the first scrape would otherwise be lost.
        _ = app.Services.GetRequiredService<PrometheusExporter>();
        _ = app.Services.GetRequiredService<ClientManager>();

        app.UseInstanceHeader();
        app.UseClientFrameLimit();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseGatewayAuth();
        app.MapAuthEndpoints();
        app.MapHealthEndpoints();
        app.MapDeepgramEndpoints();
        app.MapJobEndpoints();
        app.MapDashboard();
        app.MapApiReference();
        app.MapStreamEndpoints();
        app.MapRoomEndpoints();
        app.MapIngestEndpoints();
        // /caption/ and its assets; a plain GET of the root serves the same page (StreamEndpoints.RootAsync).
        app.MapCaptionPage();
        app.MapRoomPage();
        return app;
    }

    /// <summary>
    /// <c>--ConfigFile path</c> (or <c>ConfigFile</c> in the environment) layers a JSON file over appsettings.json,
    /// below environment variables and the command line, so deployment files and overrides compose.
    /// </summary>
    private static void AddConfigFile(ConfigurationManager configuration)
    {
        if (configuration["ConfigFile"] is not { Length: > 0 } path)
        {
            return;
        }

        var full = Path.GetFullPath(path, Environment.CurrentDirectory);
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        // Right after the appsettings*.json files: above them, below environment variables and the command line.
        var index = sources.ToList().FindLastIndex(s => s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource) + 1;
        var json = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = Path.GetFileName(full), Optional = false, ReloadOnChange = false };
        json.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(full)!);
        sources.Insert(index, json);
    }
}
