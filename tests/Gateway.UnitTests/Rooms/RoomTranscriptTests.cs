using System.Text;
using System.Text.Json;
using Gateway.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Gateway.UnitTests.Rooms;

public sealed class RoomTranscriptTests
{
    [Fact]
    public void Render_EachFormat_SpeakerLabelledInSpeechStartOrder()
    {
        var bus = new LocalRoomBus(Options.Create(new RoomOptions()));
        bus.Publish("r", new RoomEventData(RoomEventKind.Final, "Bob", 2, 1, 3_723_450, 3_725_000, "later <but> first\nto end"));
        bus.Publish("r", new RoomEventData(RoomEventKind.Final, "Alice", 1, 1, 1200, 2500.4, "hello"));
        bus.Publish("r", new RoomEventData(RoomEventKind.Final, "Alice", 3, 2, 4000, 4100, "  "));
        var finals = bus.Finals("r");
        var room = new RoomSnapshot("r", DateTimeOffset.UnixEpoch, 5000, true, RoomSettings.Defaults(new RoomOptions()), [], 0, 2, 0, 3, null, default);

        Assert.Equal(
            "1\n00:00:01,200 --> 00:00:02,500\nAlice: hello\n\n2\n01:02:03,450 --> 01:02:05,000\nBob: later <but> first to end\n\n",
            Text(RoomTranscript.Srt));
        Assert.Equal(
            "WEBVTT\n\n1\n00:00:01.200 --> 00:00:02.500\n<v Alice>hello\n\n2\n01:02:03.450 --> 01:02:05.000\n<v Bob>later &lt;but&gt; first to end\n\n",
            Text(RoomTranscript.Vtt));
        Assert.Equal("[00:00:01.200] Alice: hello\n[01:02:03.450] Bob: later <but> first to end\n", Text(RoomTranscript.Text));
        var json = JsonDocument.Parse(RoomTranscript.Render(RoomTranscript.Json, room, finals)).RootElement;
        Assert.Equal(["Alice", "Alice", "Bob"], json.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("speaker").GetString()));

        string Text(string format) => Encoding.UTF8.GetString(RoomTranscript.Render(format, room, finals));
    }
}
