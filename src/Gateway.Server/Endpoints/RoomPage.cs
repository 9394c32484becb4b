using Gateway.Core.Auth;
namespace Gateway.Server.Endpoints;

/// <summary>
/// The meeting-room page (docs/rooms.md §8): <c>/room/</c> with a participant view (microphone, name, room) and a
/// viewer view (merged, speaker-coloured live captions, transcript downloads). Files under <c>Room/</c>, embedded;
/// it reuses the caption page's capture worklet and subtitle helpers from <c>/caption/</c>.
/// </summary>
internal static class RoomPage
{
    public const string Prefix = "/room/";

    private static readonly EmbeddedPage Page = new("room/");

    public static void MapRoomPage(this WebApplication app)
    {
        app.MapGet(Prefix, (HttpContext context) => Page.ServeAsync(context, EmbeddedPage.Index)).AllowAnonymousCaller();
        app.MapGet(Prefix + "{file}", (HttpContext context, string file) => Page.ServeAsync(context, file)).AllowAnonymousCaller();
    }
}
