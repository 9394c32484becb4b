using System.Text.Json;
using Gateway.Core.Auth;
using Gateway.Core.Ingest;

namespace Gateway.Server.Endpoints;

/// <summary>
/// Server-side ingests over HTTP (docs/ingest.md): start one for a URL, list them, look at one, stop it, and pull
/// its captions as rolling WebVTT/SRT or as a live HLS WebVTT subtitle rendition.
/// </summary>
internal static class IngestEndpoints
{
    public const string Prefix = "/v1/ingests";
    private const int MaxBodyBytes = 16 * 1024;

    public static void MapIngestEndpoints(this WebApplication app)
    {
        // Managing ingests makes the server fetch URLs (ingest scope); their caption outputs are for viewers and
        // HLS players (rooms-view, which also accepts ?token=).
        var manage = app.MapGroup(Prefix).RequireScope(Scopes.Ingest);
        var view = app.MapGroup(Prefix).RequireScope(Scopes.RoomsView);
        manage.MapPost("", CreateAsync);
        manage.MapGet("", (IngestRegistry ingests) => Results.Json(new { ingests = ingests.List().Select(IngestJson.From) }, IngestJson.Options));
        manage.MapGet("/{id}", (IngestRegistry ingests, string id) =>
            ingests.Find(id) is { } found ? Results.Json(IngestJson.From(found), IngestJson.Options) : NotFound(id));
        manage.MapDelete("/{id}", async (IngestRegistry ingests, string id, CancellationToken aborted) =>
            await ingests.StopAsync(id, aborted) is { } stopped ? Results.Json(IngestJson.From(stopped), IngestJson.Options) : NotFound(id));
        view.MapGet("/{id}/captions.vtt", (IngestRegistry ingests, string id) =>
            ingests.Captions(id) is { } c ? Results.Text(c.Vtt(), "text/vtt; charset=utf-8") : NotFound(id));
        view.MapGet("/{id}/captions.srt", (IngestRegistry ingests, string id) =>
            ingests.Captions(id) is { } c ? Results.Text(c.Srt(), "application/x-subrip; charset=utf-8") : NotFound(id));
        view.MapGet("/{id}/subtitles.m3u8", (IngestRegistry ingests, string id) =>
            ingests.Playlist(id) is { } p ? Results.Text(p, "application/vnd.apple.mpegurl") : NotFound(id));
        view.MapGet("/{id}/subtitles/{index:long}.vtt", (IngestRegistry ingests, string id, long index) =>
            ingests.SubtitleSegment(id, index) is { } s ? Results.Text(s, "text/vtt; charset=utf-8") : NotFound(id));
    }

    /// <summary>A 429 says when to try again; an ingest ends only when stopped, so this is a polling interval.</summary>
    private const int RetryAfterSeconds = 30;

    private static async Task<IResult> CreateAsync(HttpContext context, IngestRegistry ingests, ApiKeys keys)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > MaxBodyBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, IngestErrorCodes.InvalidJson, $"the body is larger than {MaxBodyBytes / 1024} KB");
        }

        var (request, error) = IngestJson.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (error is not null)
        {
            return Problem(StatusCodes.Status400BadRequest, IngestErrorCodes.InvalidJson, error);
        }

        var caller = context.Features.Get<Caller>();
        var max = caller is null ? 0 : keys.Find(caller.KeyName)?.MaxIngests ?? 0;
        var (ingest, refused) = await ingests.CreateAsync(request! with { Owner = caller?.KeyName }, context.RequestAborted, max);
        if (refused is not null)
        {
            if (refused.Status == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Problem(refused.Status, refused.Code, refused.Message);
        }

        return Results.Json(IngestJson.From(ingest!), IngestJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, IngestErrorCodes.NotFound, $"no ingest \"{id}\"");

    private static IResult Problem(int status, string code, string message) =>
        Results.Json(new { error = code, message }, statusCode: status);
}
