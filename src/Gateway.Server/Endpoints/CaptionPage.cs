using Gateway.Core.Auth;
using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Gateway.Server.Endpoints;

/// <summary>
/// The live-caption page (docs/clients.md): static files under <c>Caption/</c>, embedded in the assembly so the
/// gateway serves them from any working directory with no front-end build step. The page is at <c>/caption/</c>
/// and, through <see cref="ServeIndexAsync"/>, at the root for a plain GET (the root's WebSocket detection is
/// <see cref="StreamEndpoints"/>'); its assets are at <c>/caption/{file}</c>.
/// </summary>
internal static class CaptionPage
{
    public const string Prefix = "/caption/";
    private const string Index = "index.html";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>Maps <c>/caption/</c> (the page) and <c>/caption/{file}</c> (its assets). The root is mapped by the caller.</summary>
    public static void MapCaptionPage(this WebApplication app)
    {
        app.MapGet(Prefix, ServeIndexAsync).AllowAnonymousCaller();
        app.MapGet(Prefix + "{file}", (HttpContext context, string file) => ServeAsync(context, file)).AllowAnonymousCaller();
    }

    /// <summary>Answers a plain (non-upgrade) GET with the caption page.</summary>
    public static Task ServeIndexAsync(HttpContext context) => ServeAsync(context, Index);

    private static Task ServeAsync(HttpContext context, string file)
    {
        var response = context.Response;
        if (!Assets.TryGetValue(file, out var asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var headers = response.Headers;
        headers.ETag = asset.ETag;
        // Revalidate every time: the files are tiny and must change with the gateway's version.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (file == Index)
        {
            // The page may connect to other gateways (its server field), so WebSockets to any host are allowed.
            headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers["Permissions-Policy"] = "microphone=(self)";
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return response.Body.WriteAsync(asset.Content).AsTask();
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(CaptionPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("caption/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            var file = name["caption/".Length..];
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"").ToString();
            assets[file] = new Asset(content, ContentType(file), etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
