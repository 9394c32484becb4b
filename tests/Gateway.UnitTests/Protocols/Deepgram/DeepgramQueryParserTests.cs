using Gateway.Core.Audio;
using Gateway.Core.Protocols.Deepgram;
using Gateway.Core.Segmentation;

namespace Gateway.UnitTests.Protocols.Deepgram;

public sealed class DeepgramQueryParserTests
{
    private static readonly SegmenterBounds Bounds = new();

    [Fact]
    public void Parse_DeepgramDefaults_NoInterimsEndpointingOnMonoLinear16()
    {
        var listen = Parse("encoding=linear16&sample_rate=8000").Listen!;

        Assert.Equal(new AudioFormat(AudioEncoding.PcmS16Le, 8_000, 1), listen.Settings.Format);
        Assert.False(listen.Settings.InterimResults);
        Assert.True(listen.Endpointing);
        Assert.Null(listen.Settings.Segmentation);
        Assert.Equal(DeepgramQueryParser.DefaultModel, listen.Model);
        Assert.False(listen.Containerised);
    }

    [Theory]
    [InlineData("10", 100)]
    [InlineData("300", 300)]
    [InlineData("60000", 5_000)]
    public void Parse_EndpointingMs_HeldInsideTheServerBounds(string value, int expected)
    {
        var listen = Parse($"encoding=mulaw&sample_rate=8000&endpointing={value}").Listen!;

        Assert.Equal(expected, listen.Settings.Segmentation!.EndpointSilenceMs);
    }

    [Fact]
    public void Parse_KeywordsAndKeyterms_BecomeHotwordsWithScaledWeights()
    {
        var listen = Parse("encoding=alaw&sample_rate=8000&keyterm=FunASR&keywords=gateway:2&keywords=plain").Listen!;

        Assert.Equal(DeepgramQueryParser.DefaultHotwordWeight, listen.Settings.Hotwords["FunASR"]);
        Assert.Equal(2 * DeepgramQueryParser.DefaultHotwordWeight, listen.Settings.Hotwords["gateway"]);
        Assert.Equal(DeepgramQueryParser.DefaultHotwordWeight, listen.Settings.Hotwords["plain"]);
    }

    [Fact]
    public void Parse_UnsupportedFeatures_AcceptedAndListedAsIgnored()
    {
        var listen = Parse("encoding=linear32&sample_rate=48000&diarize=true&redact=pci&redact=numbers&callback=x").Listen!;

        Assert.Equal(["diarize", "redact", "callback"], listen.Ignored);
        Assert.Equal(AudioEncoding.S32Le, listen.Settings.Format.Encoding);
    }

    [Fact]
    public void Parse_NoEncoding_ContainerisedDecodedToThePipelineFormat()
    {
        var listen = Parse("channels=2&multichannel=true").Listen!;

        Assert.True(listen.Containerised);
        Assert.Equal(2, listen.Streams);
        Assert.Equal(AudioFormat.Pipeline, listen.Settings.Format);
    }

    [Theory]
    [InlineData("encoding=flac&sample_rate=16000", "encoding \"flac\" is not supported; use linear16, linear32, float, mulaw or alaw, or omit encoding for containerised audio (WAV, WebM, Ogg)")]
    [InlineData("encoding=linear16", "sample_rate is required with encoding=linear16")]
    [InlineData("encoding=linear16&sample_rate=16000&channels=4", "channels=4 needs multichannel=true (without it 1 or 2 channels are mixed to mono)")]
    [InlineData("encoding=linear16&sample_rate=16000&channels=9&multichannel=true", "channels must be between 1 and 8 (got 9)")]
    [InlineData("encoding=linear16&sample_rate=16000&endpointing=soon", "endpointing must be an integer (got \"soon\")")]
    [InlineData("encoding=linear16&sample_rate=16000&interim_results=true&utterance_end_ms=0", "utterance_end_ms must be a positive number of milliseconds")]
    [InlineData("encoding=linear16&sample_rate=16000&keywords=noise:-1", "keywords with a zero or negative intensifier (suppression) are not supported (got \"noise:-1\")")]
    [InlineData("encoding=linear16&sample_rate=16000&extra=novalue", "extra must be key:value (got \"novalue\")")]
    public void Parse_BadValue_ExactMessage(string query, string message)
    {
        Assert.Equal(message, Parse(query).Error);
    }

    private static DeepgramQueryResult Parse(string query) =>
        DeepgramQueryParser.Parse(
            query.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p.Length > 1 ? p[1] : "")),
            Bounds,
            "req-1");
}
