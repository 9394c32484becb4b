using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Gateway.Server.Endpoints;

/// <summary>
/// A page's static files, embedded in the assembly under one resource prefix (<c>caption/</c>, <c>room/</c>) so the
/// gateway serves them from any working directory with no front-end build step: ETag, no-cache, and on the page
/// itself a strict Content-Security-Policy that still allows WebSockets to any gateway.
/// </summary>
internal sealed class EmbeddedPage
{
    public const string Index = "index.html";

    private readonly FrozenDictionary<string, Asset> _assets;

    public EmbeddedPage(string resourcePrefix) => _assets = Load(resourcePrefix);

    public Task ServeAsync(HttpContext context, string file)
    {
        var response = context.Response;
        if (!_assets.TryGetValue(file, out var asset))
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

    private static FrozenDictionary<string, Asset> Load(string prefix)
    {
        var assembly = typeof(EmbeddedPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            var file = name[prefix.Length..];
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
