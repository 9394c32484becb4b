using Scalar.AspNetCore;

namespace Gateway.Server.Endpoints;

/// <summary>The OpenAPI document of the REST surface at <c>/openapi/v1.json</c> and its interactive reference page at <c>/scalar/v1</c>.</summary>
internal static class ApiReference
{
    public static void MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference();
    }
}
