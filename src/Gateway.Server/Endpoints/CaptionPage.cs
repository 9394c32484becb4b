using Gateway.Core.Auth;

namespace Gateway.Server.Endpoints;

/// <summary>
/// The live-caption page (docs/clients.md): static files under <c>Caption/</c>, embedded (<see cref="EmbeddedPage"/>).
/// The page is at <c>/caption/</c> and, through <see cref="ServeIndexAsync"/>, at the root for a plain GET (the root's
/// WebSocket detection is <see cref="StreamEndpoints"/>'); its assets are at <c>/caption/{file}</c>.
/// </summary>
internal static class CaptionPage
{
    public const string Prefix = "/caption/";

    private static readonly EmbeddedPage Page = new("caption/");

    /// <summary>Maps <c>/caption/</c> (the page) and <c>/caption/{file}</c> (its assets). The root is mapped by the caller.</summary>
    public static void MapCaptionPage(this WebApplication app)
    {
        app.MapGet(Prefix, ServeIndexAsync).AllowAnonymousCaller();
        app.MapGet(Prefix + "{file}", (HttpContext context, string file) => Page.ServeAsync(context, file)).AllowAnonymousCaller();
    }

    /// <summary>Answers a plain (non-upgrade) GET with the caption page.</summary>
    public static Task ServeIndexAsync(HttpContext context) => Page.ServeAsync(context, EmbeddedPage.Index);
}
