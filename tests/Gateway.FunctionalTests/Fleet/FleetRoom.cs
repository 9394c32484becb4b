using System.Net.Http.Json;
using System.Text.Json;
using Gateway.FunctionalTests.EndToEnd;
using Gateway.FunctionalTests.Infrastructure;
using static Gateway.FunctionalTests.Rooms.RoomApi;

namespace Gateway.FunctionalTests.Fleet;

/// <summary>
/// One room of the fleet test: real-time speakers on chosen gateways and a WebSocket viewer on each gateway of the
/// fleet (connected directly, so where every participant and viewer sits is known). The room is created on the first
/// speaker's gateway; the other gateways follow it through Redis (docs/scale-out.md §2).
/// </summary>
internal sealed class FleetRoom : IAsyncDisposable
{
    private readonly List<(string Speaker, Task<List<JsonElement>> Own)> _speakers = [];
    private readonly List<(Uri Gateway, RoomViewerClient Viewer)> _viewers = [];

    private FleetRoom(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates the room, starts its speakers (the fixture at twice real time, each word tagged with its speaker) and seats one viewer per gateway.</summary>
    public static async Task<FleetRoom> StartAsync(string name, IReadOnlyList<(string Speaker, GatewayProcess On)> speakers, IReadOnlyList<GatewayProcess> viewersOn, CancellationToken token)
    {
        var room = new FleetRoom(name);
        try
        {
            var home = speakers[0].On;
            using (var http = new HttpClient { BaseAddress = home.Http, Timeout = TimeSpan.FromSeconds(30) })
            {
                using var created = await http.PostAsJsonAsync("/v1/rooms", new { name, max_participants = speakers.Count }, token);
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(token));
            }

            // The home gateway's viewer first. Its history_end comes once its gateway follows the room's channel, so
            // the speakers start after it and their joins reach it live (a new viewer's replay holds finals only, and
            // an event published while the subscription is being set up counts as history). Once it has seen a speaker
            // join, the room's events are in Redis and a viewer on any other gateway finds the room there (a gateway
            // that has never heard of it answers 4004).
            var first = await RoomViewerClient.WebSocketAsync(home.WebSocket, name);
            room._viewers.Add((home.Http, first));
            await first.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), TimeSpan.FromSeconds(30), $"{name}'s viewer subscribed");
            foreach (var (speaker, on) in speakers)
            {
                var stream = new Uri(on.WebSocket, "/v1/stream" + Participant(name, speaker));
                room._speakers.Add((speaker, NativeResultsTests.StreamFixtureAsync(stream, SpeechFixture.Tagged(speaker.ToLowerInvariant()), realTimeFactor: 2)));
            }

            await first.WaitUntilAsync(m => m.Any(x => Type(x) == "participant_joined"), TimeSpan.FromSeconds(30), $"a speaker joining {name}");
            foreach (var gateway in viewersOn.Where(g => g != home))
            {
                room._viewers.Add((gateway.Http, await RoomViewerClient.WebSocketAsync(gateway.WebSocket, name)));
            }

            return room;
        }
        catch
        {
            await room.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits for every speaker's session to close normally with every word of its speech, then for every viewer to have
    /// seen every final and every speaker leave; asserts each viewer saw each speaker's finals exactly once, in that
    /// speaker's order, under strictly increasing room numbers, and that all viewers agree on one fleet-wide order.
    /// Returns that order (speaker, text) for later comparison.
    /// </summary>
    public async Task<List<(string Speaker, string Text)>> AssertEveryViewerSawEveryCaptionInOrderAsync(TimeSpan timeout)
    {
        var own = new Dictionary<string, List<string>>();
        foreach (var (speaker, session) in _speakers)
        {
            var messages = await session.WaitAsync(timeout);
            NativeResultsTests.AssertWordsRecovered(SpeechFixture.Tagged(speaker.ToLowerInvariant()), messages);
            own[speaker] = messages.Where(m => Type(m) == "final").Select(m => m.GetProperty("text").GetString()!).ToList();
        }

        var total = own.Values.Sum(f => f.Count);
        List<(long Seq, string Speaker, string Text)>? agreed = null;
        foreach (var (gateway, viewer) in _viewers)
        {
            await viewer.WaitUntilAsync(
                m => m.Count(x => Type(x) == "final") >= total && m.Count(x => Type(x) == "participant_left") >= own.Count,
                timeout, $"{total} finals and {own.Count} speakers leaving {Name}, on the viewer of {gateway}");
            var finals = viewer.OfType("final")
                .Select(f => (Seq: f.GetProperty("seq").GetInt64(), Speaker: f.GetProperty("speaker").GetString()!, Text: f.GetProperty("text").GetString()!))
                .ToList();
            Assert.Equal(total, finals.Count);
            foreach (var (speaker, texts) in own)
            {
                Assert.Equal(texts, finals.Where(f => f.Speaker == speaker).Select(f => f.Text));
            }

            var numbered = viewer.Messages.Where(m => m.TryGetProperty("seq", out _) && Type(m) != "room" && Type(m) != "history_end").Select(m => m.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(numbered.Order().Distinct(), numbered);
            agreed ??= finals;
            Assert.Equal(agreed, finals);
        }

        return agreed!.Select(f => (f.Speaker, f.Text)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, viewer) in _viewers)
        {
            await viewer.DisposeAsync();
        }

        // A speaker still running (a failed test) ends with the test's processes; do not leave its task unobserved.
        await Task.WhenAll(_speakers.Select(s => s.Own)).WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
