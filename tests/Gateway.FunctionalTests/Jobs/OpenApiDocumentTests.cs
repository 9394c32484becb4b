using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>The OpenAPI document served at /openapi/v1.json describes exactly the REST routes the gateway maps.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact(Timeout = 30_000)]
    public async Task Document_MatchesTheMappedApiRoutes()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        var mapped = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order()
            .ToArray();

        using var document = JsonDocument.Parse(await gateway.GetStringAsync("/openapi/v1.json"));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .Order()
            .ToArray();

        Assert.Equal(11, mapped.Length); // the microservice's 9 endpoints, the SSE events and the dashboard's data
        Assert.Equal(mapped, documented);
        var submit = document.RootElement.GetProperty("paths").GetProperty("/api/v1/asr/submit").GetProperty("post");
        Assert.True(submit.GetProperty("responses").TryGetProperty("413", out _));
        var reference = await gateway.GetStringAsync("/scalar/v1");
        Assert.Contains("scalar", reference, StringComparison.OrdinalIgnoreCase);
    }
}
