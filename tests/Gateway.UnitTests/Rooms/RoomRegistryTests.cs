using Gateway.Core.Results;
using Gateway.Core.Rooms;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Rooms;

public sealed class RoomRegistryTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Attach_NoRoom_SessionRunsAlone()
    {
        var registry = Create();

        var attachment = registry.Attach("s1", StreamSettings.Default);

        Assert.Null(attachment.Observer);
        Assert.Same(StreamSettings.Default, attachment.Settings);
        Assert.Empty(registry.Rooms);
    }

    [Fact]
    public void Attach_FirstParticipant_OpensTheRoomAndAppliesItsLanguageWhereTheParticipantSetNone()
    {
        var registry = Create();
        registry.Create("r", RoomSettings.Defaults(registry.Options) with { Language = "fr", Hotwords = new Dictionary<string, int> { ["gateway"] = 30 } });

        var attachment = registry.Attach("s1", Join("r", "Alice"));
        var english = registry.Attach("s2", Join("r", "Bob") with { Language = "en" });

        Assert.Equal("fr", attachment.Settings!.Language);
        Assert.Equal(30, attachment.Settings.Hotwords["gateway"]);
        Assert.Equal("en", english.Settings!.Language);
        Assert.Equal(["Alice", "Bob"], registry.Find("r")!.Snapshot(0).Participants.Select(p => p.Speaker));
    }

    [Fact]
    public void Participant_Results_PublishedOnTheRoomClockWithRoomUniqueSegmentIds()
    {
        var registry = Create();
        var viewer = new RecordingViewer();
        registry.Create("r", RoomSettings.Defaults(registry.Options));
        registry.Bus.Subscribe("r", null, viewer);
        var alice = registry.Attach("s1", Join("r", "Alice")).Observer!;
        _time.Advance(TimeSpan.FromSeconds(2)); // Bob joins 2 s into the meeting: his stream time 0 is room time 2000 ms
        var bob = registry.Attach("s2", Join("r", "Bob")).Observer!;

        alice.OnResult(new SpeechStartedEvent(1, 16_000));
        bob.OnResult(new SpeechStartedEvent(1, 8_000));
        bob.OnResult(new SpeechEndedEvent(1, 8_000, 24_000, "endpoint"));
        _time.Advance(TimeSpan.FromMilliseconds(40));
        bob.OnResult(new FinalEvent(1, "hello", 8_000, 24_000, [new Sentence("hello", 8_000, 24_000)]));
        alice.OnResult(new PartialEvent(1, "hi the", 16_000, 40_000));

        var events = viewer.Events.Select(e => e.Data).ToList();
        Assert.Equal(
            [RoomEventKind.ParticipantJoined, RoomEventKind.ParticipantJoined, RoomEventKind.SpeechStarted, RoomEventKind.SpeechStarted, RoomEventKind.SpeechEnded, RoomEventKind.Final, RoomEventKind.Partial],
            events.Select(e => e.Kind));
        Assert.Equal(2000, events[1].StartMs);
        Assert.Equal(1000, events[2].StartMs);
        Assert.Equal(2500, events[3].StartMs);
        Assert.Equal((2500, 3500), (events[5].StartMs, events[5].EndMs));
        Assert.Equal([1L, 2L, 2L, 1L], new[] { events[2], events[3], events[5], events[6] }.Select(e => e.SegmentId));
        Assert.Equal(1, events[5].SessionSegmentId);
        var snapshot = registry.Find("r")!.Snapshot(0);
        Assert.Equal(1, snapshot.Segments);
        Assert.Equal(40, snapshot.Latency.LastMs);
    }

    [Fact]
    public void Leave_LastOneOut_RoomLingersForItsRetentionThenGoes()
    {
        var registry = Create(new RoomOptions { IdleExpiry = TimeSpan.FromMinutes(5) });
        var alice = registry.Attach("s1", Join("r", "Alice")).Observer!;
        registry.Bus.Publish("r", new RoomEventData(RoomEventKind.Final, "Alice", 1, 1, 0, 10, "kept"));

        alice.Dispose();
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(registry.Find("r")?.Snapshot(0).ExpiresAt);
        Assert.Single(registry.Bus.Finals("r"));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(registry.Find("r"));
        Assert.Empty(registry.Bus.Finals("r"));
    }

    [Fact]
    public void JoinViewer_WhileLingering_CancelsTheExpiry()
    {
        var registry = Create(new RoomOptions { IdleExpiry = TimeSpan.FromMinutes(1) });
        registry.Create("r", RoomSettings.Defaults(registry.Options));
        _time.Advance(TimeSpan.FromSeconds(50));

        var (room, _) = registry.JoinViewer("r");
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Same(room, registry.Find("r"));
        Assert.Null(room!.Snapshot(0).ExpiresAt);
        registry.LeaveViewer(room);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(registry.Find("r"));
    }

    [Fact]
    public void Attach_MaxRoomsReached_RoomLimitWith4012()
    {
        var registry = Create(new RoomOptions { MaxRooms = 1 });
        registry.Attach("s1", Join("one", "Alice"));

        var refused = registry.Attach("s2", Join("two", "Bob"));

        Assert.Equal(RoomErrorCodes.RoomLimit, refused.Error!.Code);
        Assert.Equal(RoomCloseCodes.RoomLimit, refused.Error.CloseCode);
        Assert.Equal(RoomErrorCodes.RoomLimit, registry.Create("three", RoomSettings.Defaults(registry.Options)).Error!.Code);
    }

    [Fact]
    public void Attach_SpeakerLeftAndCameBack_SameNameAccepted()
    {
        var registry = Create();
        registry.Attach("s1", Join("r", "Alice")).Observer!.Dispose();

        Assert.Null(registry.Attach("s2", Join("r", "alice")).Error);
    }

    [Fact]
    public void PublishSourceEvent_LostThenRestored_OnTheParticipantsClockRenderedForViewers()
    {
        var registry = Create();
        var viewer = new RecordingViewer();
        registry.Create("r", RoomSettings.Defaults(registry.Options));
        registry.Bus.Subscribe("r", null, viewer);
        _time.Advance(TimeSpan.FromSeconds(3)); // the camera joins 3 s into the room: its stream time 0 is room time 3000 ms
        registry.Attach("s1", Join("r", "Camera"));

        Assert.True(registry.PublishSourceEvent("r", "camera", RoomEventKind.SourceLost, 1500, 1500, "the source ended"));
        Assert.True(registry.PublishSourceEvent("r", "Camera", RoomEventKind.SourceRestored, 1500, 6750.3, null));
        Assert.False(registry.PublishSourceEvent("r", "Nobody", RoomEventKind.SourceLost, 0, 0, "x"));
        Assert.False(registry.PublishSourceEvent("nowhere", "Camera", RoomEventKind.SourceLost, 0, 0, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.PublishSourceEvent("r", "Camera", RoomEventKind.Final, 0, 0, "x"));

        var json = viewer.Events.Where(e => e.Kind is RoomEventKind.SourceLost or RoomEventKind.SourceRestored).Select(e => System.Text.Encoding.UTF8.GetString(e.Json)).ToList();
        Assert.Equal(
            [
                """{"type":"source_lost","seq":2,"speaker":"Camera","at_ms":4500,"message":"the source ended"}""",
                """{"type":"source_restored","seq":3,"speaker":"Camera","start_ms":4500,"end_ms":9750.3}""",
            ],
            json);
        Assert.All(viewer.Events.Skip(1), e => Assert.True(e.Retained));
    }

    private static StreamSettings Join(string room, string speaker) => StreamSettings.Default with { Room = room, Speaker = speaker };

    private RoomRegistry Create(RoomOptions? options = null)
    {
        var value = Options.Create(options ?? new RoomOptions());
        using var meters = new TestMeterFactory();
        return new RoomRegistry(value, new LocalRoomBus(value), new RoomMetrics(meters), _time, NullLogger<RoomRegistry>.Instance);
    }

    private sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
