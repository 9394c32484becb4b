using System.Net;
using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Rooms;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.FunctionalTests.Rooms.RoomApi;

namespace Gateway.FunctionalTests.Resume;

/// <summary>
/// A room participant whose connection drops: the detached session keeps its seat (its speaker name stays taken)
/// for the resume window; resumed, it speaks on into the room and viewers see every word once; not resumed, the
/// seat is released when the window ends.
/// </summary>
public sealed class ResumeRoomTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 60_000)]
    public async Task DetachedParticipant_KeepsItsSeatAndResumesIntoTheRoom_ViewerSeesEveryWordOnce()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var viewer = await StartRoomWithViewerAsync(gateway, "standup");
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var alice = new ResumingStream(gateway, proxy);
        var pcm = SpeechFixture.ThreeUtterances.Pcm16Bytes;
        await alice.StartAsync(new { room = "standup", speaker = "Alice" });
        await alice.SendAsync(pcm, 0, 28_000 * 2); // mid-phrase
        await alice.CutAsync();

        // Detached, Alice still holds her seat: another "Alice" is refused.
        await using (var impostor = await StreamClient.ConnectAsync(gateway.Stream(query: Participant("standup", "alice"))))
        {
            await impostor.SendJsonAsync(new { type = "start" });
            Assert.Equal("speaker_taken", (await impostor.ReceiveAsync()).GetProperty("code").GetString());
            Assert.Null(await impostor.ReceiveOrCloseAsync());
            Assert.Equal((WebSocketCloseStatus)RoomCloseCodes.SpeakerTaken, impostor.CloseStatus);
        }

        Assert.Equal("ready", Type(await alice.ResumeAsync()));
        await alice.SendAsync(pcm, (int)alice.ResumedFrom * 2, pcm.Length);
        var own = await alice.CloseAsync();
        ResumeTests.AssertTranscriptWhole(own);

        await viewer.WaitUntilAsync(m => m.Any(x => Type(x) == "participant_left"), Timeout, "Alice leaving");
        var finals = viewer.OfType("final");
        Assert.Equal(SpeechFixture.ThreeUtterances.Words, finals.SelectMany(Words).ToList());
        Assert.All(finals, f => Assert.Equal("Alice", f.GetProperty("speaker").GetString()));
        Assert.Equal(finals.Count, finals.Select(f => f.GetProperty("segment_id").GetInt64()).Distinct().Count());
        // One seat for the whole session: joined once, left once, at the end.
        Assert.Single(viewer.OfType("participant_joined"));
        Assert.Single(viewer.OfType("participant_left"));
    }

    [Fact(Timeout = 60_000)]
    public async Task DetachedParticipant_WindowEnds_SeatReleasedAndTheNameFreeAgain()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:ResumeWindow"] = "00:00:01" });
        var clients = gateway.Services.GetRequiredService<ClientManager>();
        await using var viewer = await StartRoomWithViewerAsync(gateway, "standup");
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var alice = new ResumingStream(gateway, proxy);
        await alice.StartAsync(new { room = "standup", speaker = "Alice" });
        await alice.SendAsync(SpeechFixture.ThreeUtterances.Pcm16Bytes, 0, 16_000 * 2);
        await alice.CutAsync();

        await viewer.WaitUntilAsync(m => m.Any(x => Type(x) == "participant_left"), Timeout, "the seat released at the window's end");
        await ResumeTests.WaitUntilAsync(() => clients.ActiveCount == 0);
        await using var again = await StreamClient.ConnectAsync(gateway.Stream(query: Participant("standup", "Alice")));
        await again.StartAsync();
        Assert.Equal("resume_expired", (await alice.ResumeAsync()).GetProperty("code").GetString());
    }

    private static async Task<RoomViewerClient> StartRoomWithViewerAsync(TestGateway gateway, string room)
    {
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(gateway, new { name = room })).Status);
        var viewer = await RoomViewerClient.EventStreamAsync(gateway, room);
        await viewer.WaitUntilAsync(m => m.Any(x => Type(x) == "history_end"), Timeout, "the welcome");
        return viewer;
    }
}
