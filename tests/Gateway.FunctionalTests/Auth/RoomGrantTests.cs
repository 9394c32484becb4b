using System.Net;
using Gateway.Core.Auth;
using Gateway.FunctionalTests.Deepgram;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Auth;

/// <summary>A grant limited to one room and one role (speak or view): that room only, that role only.</summary>
public sealed class RoomGrantTests
{
    private const string RoomKey = "sk-rooms-0123456789";

    [Fact(Timeout = 30_000)]
    public async Task SpeakGrant_StreamsIntoItsRoomOnly()
    {
        await using var gateway = await StartAsync();
        var speak = await AuthGateway.GrantAsync(gateway, RoomKey, new { room = "lobby", role = "speak" });

        await using (var inRoom = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", $"?token={speak}&room=LOBBY&speaker=ann")))
        {
            var ready = await inRoom.StartAsync();
            Assert.Equal("ready", ready.GetProperty("type").GetString());
        }

        foreach (var query in new[] { "&room=kitchen&speaker=ann", "" })
        {
            await using var elsewhere = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", $"?token={speak}{query}"));
            await elsewhere.SendJsonAsync(new { type = "start" });
            var error = Assert.Single(await elsewhere.ReceiveUntilClosedAsync());
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Contains("limited to room \"lobby\"", error.GetProperty("message").GetString());
            Assert.Equal(4403, (int)elsewhere.CloseStatus!);
        }

        // The room named in the start message is checked the same way.
        await using var viaStart = await StreamClient.ConnectAsBrowserAsync(gateway.Stream());
        await viaStart.SendJsonAsync(new { type = "start", token = speak, room = "kitchen", speaker = "ann" });
        Assert.Equal("forbidden", Assert.Single(await viaStart.ReceiveUntilClosedAsync()).GetProperty("code").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task ViewGrant_ReadsItsRoomOnlyAndCannotSpeak()
    {
        await using var gateway = await StartAsync();
        await using var speaker = await StreamClient.ConnectAsync(gateway.Stream("/v1/stream", $"?token={RoomKey}&room=lobby&speaker=ann"));
        await speaker.StartAsync();
        var view = await AuthGateway.GrantAsync(gateway, RoomKey, new { room = "lobby", role = "view" });
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", view);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/rooms/lobby")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/rooms/lobby/transcript")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/v1/rooms/kitchen")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/v1/rooms")).StatusCode);
        await using (var viewer = await RoomViewerClient.WebSocketAsync(gateway, "lobby", "?token=" + view))
        {
            await viewer.WaitUntilAsync(m => m.Count > 0, TimeSpan.FromSeconds(10), "the room's first message");
        }

        var (captionsElsewhere, _) = await DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/rooms/kitchen/captions", "?token=" + view));
        var (speak, _) = await DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/stream", $"?token={view}&room=lobby&speaker=bob"));
        Assert.Equal(HttpStatusCode.Forbidden, captionsElsewhere);
        Assert.Equal(HttpStatusCode.Forbidden, speak);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("""{"room":"lobby","role":"shout"}""", "\"role\" must be view or speak")]
    [InlineData("""{"role":"view"}""", "\"role\" needs a \"room\"")]
    [InlineData("""{"room":"lobby","role":"view","scopes":["stream"]}""", "not \"scopes\"")]
    public async Task Grant_BadRoomRequest_400(string body, string message)
    {
        await using var gateway = await StartAsync();
        using var http = AuthGateway.Client(gateway, RoomKey);

        using var response = await http.PostAsync("/v1/auth/grant", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(message, answer.GetProperty("err_msg").GetString());
    }

    private static Task<TestGateway> StartAsync() => AuthGateway.StartAsync(new()
    {
        ["Auth:Keys:3:Name"] = "rooms",
        ["Auth:Keys:3:Hash"] = ApiKeys.HashOf(RoomKey),
        ["Auth:Keys:3:Scopes:0"] = Scopes.Stream,
        ["Auth:Keys:3:Scopes:1"] = Scopes.RoomsView,
    });
}
