using Gateway.Core.Auth;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Auth;

/// <summary>
/// The room page in headless Chromium with auth on: a speaker opens it with a key (the page buys a speak grant and
/// sends it in the start message), a viewer with a view grant minted for the room (used as it is, on ?token=).
/// </summary>
public sealed class RoomPageAuthBrowserTests
{
    private const string Key = "sk-room-page-0123456789";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 90_000)]
    public async Task RoomPage_SpeakerWithKeyViewerWithViewGrant_ViewerShowsTheSpeakersFinals()
    {
        await using var gateway = await AuthGateway.StartAsync(new()
        {
            ["Auth:Keys:3:Name"] = "room-page",
            ["Auth:Keys:3:Hash"] = ApiKeys.HashOf(Key),
            ["Auth:Keys:3:Scopes:0"] = Scopes.Stream,
            ["Auth:Keys:3:Scopes:1"] = Scopes.RoomsView,
        });
        var view = await AuthGateway.GrantAsync(gateway, Key, new { room = "demo", role = "view", ttl_seconds = 120 });
        var wav = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");

        await using var speaker = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
        await speaker.NavigateAsync(new Uri(gateway.Http, $"/room/?room=demo&name=Alice&token={Key}"));
        await speaker.WaitForAsync("!document.getElementById('join').disabled", Wait);
        await speaker.EvaluateAsync("document.getElementById('join').click()", userGesture: true);
        await speaker.WaitForAsync("document.getElementById('status').textContent === 'Speaking in demo as Alice'", Wait);

        await using var viewer = await HeadlessChromium.LaunchAsync();
        await viewer.NavigateAsync(new Uri(gateway.Http, $"/room/?room=demo&view=viewer&token={Uri.EscapeDataString(view)}"));
        await viewer.WaitForAsync("document.getElementById('status').textContent.startsWith('Following demo')", Wait);
        await viewer.WaitForAsync("document.querySelectorAll('#captions li.final[data-speaker=\"Alice\"]').length >= 1", Wait);

        var srt = (await viewer.EvaluateAsync("document.getElementById('download-srt').href")).GetString()!;
        Assert.Contains("token=", srt);
        Assert.DoesNotContain(Key, srt);
        await speaker.EvaluateAsync("document.getElementById('leave').click()", userGesture: true);
    }
}
