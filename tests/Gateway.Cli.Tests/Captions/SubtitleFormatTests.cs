using Gateway.Cli.Captions;
using Gateway.Cli.Commands;
using Gateway.Cli.Protocol;

namespace Gateway.Cli.Tests.Captions;

public sealed class SubtitleFormatTests
{
    private static readonly Caption[] Captions =
    [
        new(1, "hello world.", 612.9, 2895.5, []),
        new(2, "", 3000, 3500, []),
        new(3, "a --> b\nsecond line", 3_723_456.4, 3_724_000, []),
    ];

    [Fact]
    public void ToSrt_Finals_NumberedCuesWithCommaTimesSkippingEmptyText()
    {
        Assert.Equal(
            "1\n00:00:00,613 --> 00:00:02,896\nhello world.\n\n2\n01:02:03,456 --> 01:02:04,000\na --> b second line\n\n",
            SubtitleFormat.ToSrt(Captions));
    }

    [Fact]
    public void ToVtt_Finals_HeaderAndDotTimesWithoutArrowInPayload()
    {
        Assert.Equal(
            "WEBVTT\n\n1\n00:00:00.613 --> 00:00:02.896\nhello world.\n\n2\n01:02:03.456 --> 01:02:04.000\na -> b second line\n\n",
            SubtitleFormat.ToVtt(Captions));
    }

    [Theory]
    [InlineData("http://gw:8080", "ws://gw:8080/v1/stream")]
    [InlineData("https://gw.example/", "wss://gw.example/v1/stream")]
    [InlineData("ws://gw:9000/custom/path", "ws://gw:9000/custom/path")]
    public void ServerUri_HttpOrBareHost_NativeWebSocketEndpoint(string given, string expected) =>
        Assert.Equal(new Uri(expected), CommonOptions.ServerUri(given));

    [Fact]
    public void StartMessage_Hotwords_SentAsGivenForTheServerToParse()
    {
        var start = new StartMessage("en", "fox, dog:50", MaxSegmentMs: 8000);

        Assert.Equal(
            """{"type":"start","encoding":"pcm_s16le","sample_rate":16000,"channels":1,"interim_results":true,"language":"en","hotwords":"fox, dog:50","segmentation":{"max_segment_ms":8000}}""",
            start.ToJson());
    }
}
