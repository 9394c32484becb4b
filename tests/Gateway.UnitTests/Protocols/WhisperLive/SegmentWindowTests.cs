using Gateway.Core.Protocols.WhisperLive;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Protocols.WhisperLive;

/// <summary>The segments messages a WhisperLive client sees for a sequence of results (whisperlive.md §1.5-1.8, §7).</summary>
public sealed class SegmentWindowTests
{
    private const string Options = """{"uid":"u1","language":"en","task":"transcribe","model":"small","send_last_n_segments":2}""";

    [Fact]
    public void Write_PartialsThenFinal_PartialKeepsItsStartAndTheFinalTakesIt()
    {
        var messages = Render(
            new PartialEvent(1, "and so", 8_000, 24_000),
            new PartialEvent(1, "and so my fellow", 8_160, 40_000),
            new FinalEvent(1, "And so my fellow Americans,", 8_320, 121_600, []));

        Assert.Equal(
            [
                """{"uid":"u1","segments":[{"start":"0.500","end":"1.500","text":" and so","completed":false}]}""",
                """{"uid":"u1","segments":[{"start":"0.500","end":"2.500","text":" and so my fellow","completed":false}]}""",
                """{"uid":"u1","segments":[{"start":"0.500","end":"7.600","text":" And so my fellow Americans,","completed":true}]}""",
            ],
            messages);
    }

    [Fact]
    public void Write_ManyFinals_SlidingWindowOfLastNCompletedThenThePartial()
    {
        var messages = Render(
            new FinalEvent(1, "one", 0, 16_000, []),
            new FinalEvent(2, "two", 16_000, 32_000, []),
            new FinalEvent(3, "three", 32_000, 48_000, []),
            new PartialEvent(4, "four", 48_000, 56_000));

        Assert.Equal(
            """{"uid":"u1","segments":[{"start":"1.000","end":"2.000","text":" two","completed":true},{"start":"2.000","end":"3.000","text":" three","completed":true},{"start":"3.000","end":"3.500","text":" four","completed":false}]}""",
            messages[^1]);
        Assert.Equal(4, messages.Count);
    }

    [Fact]
    public void Write_FinalOverlappingThePreviousOne_StartsAtThePreviousEnd()
    {
        var messages = Render(
            new FinalEvent(1, "one", 0, 20_000, []),
            new FinalEvent(2, "two", 16_000, 32_000, []));

        Assert.Contains("""{"start":"1.250","end":"2.000","text":" two","completed":true}""", messages[^1]);
    }

    [Fact]
    public void Write_EmptyFinalWithNothingElse_SendsNoEmptySegmentsArray()
    {
        var messages = Render(
            new PartialEvent(1, "uh", 0, 8_000),
            new FinalEvent(1, "  ", 0, 8_000, []));

        Assert.Single(messages);
        Assert.DoesNotContain("\"segments\":[]", string.Concat(messages));
    }

    [Fact]
    public void Write_UnchangedPartialOrLatePartial_SendsNothing()
    {
        var messages = Render(
            new PartialEvent(1, "hello", 0, 8_000),
            new PartialEvent(1, "hello", 0, 8_000),
            new FinalEvent(1, "Hello.", 0, 9_000, []),
            new PartialEvent(1, "hello there", 0, 10_000));

        Assert.Equal(2, messages.Count);
        Assert.Contains("\"completed\":true", messages[1]);
    }

    [Fact]
    public void Write_NextSegmentsPartialBeforeThisSegmentsFinal_PartialStaysLastAndAfterTheFinal()
    {
        var messages = Render(
            new PartialEvent(1, "first", 0, 8_000),
            new PartialEvent(2, "second", 12_000, 20_000),
            new PartialEvent(1, "first again", 0, 9_000),
            new FinalEvent(1, "First.", 0, 16_000, []));

        Assert.Equal(3, messages.Count); // the late partial of segment 1 is not shown over segment 2's
        Assert.Equal(
            """{"uid":"u1","segments":[{"start":"0.000","end":"1.000","text":" First.","completed":true},{"start":"1.000","end":"1.250","text":" second","completed":false}]}""",
            messages[^1]);
    }

    [Fact]
    public void Write_MultiLineText_BecomesOneLine()
    {
        var message = Assert.Single(Render(new FinalEvent(1, "line one\nline two", 0, 16_000, [])));

        Assert.Contains("\"text\":\" line one line two\"", message);
    }

    [Fact]
    public void Write_FailedSegment_WarnsAndDropsItsPartial()
    {
        var messages = Render(
            new FinalEvent(1, "one", 0, 16_000, []),
            new PartialEvent(2, "tw", 16_000, 20_000),
            new SegmentFailedEvent(2, 16_000, 24_000, "upstream_unavailable", "no upstream"));

        Assert.Equal("""{"uid":"u1","status":"WARNING","message":"speech could not be transcribed: no upstream"}""", messages[2]);
        Assert.Equal("""{"uid":"u1","segments":[{"start":"0.000","end":"1.000","text":" one","completed":true}]}""", messages[3]);
    }

    [Fact]
    public void Write_SpeechAndFlushEvents_RenderNothing()
    {
        Assert.Empty(Render(new SpeechStartedEvent(1, 0), new SpeechEndedEvent(1, 0, 100, "endpoint"), new FlushedEvent(100)));
    }

    private static List<string> Render(params ServerEvent[] events)
    {
        var protocol = new WhisperLiveProtocol(new WhisperLiveOptions());
        Assert.Null(protocol.ParseStart(Rendered.Utf8(Options), StreamSettings.Default).Error);
        return Rendered.Messages(protocol, events);
    }
}
