using System.Text.Json;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Protocols.WhisperLive;
using Gateway.Core.Sessions;
using Gateway.UnitTests.Protocols;

namespace Gateway.UnitTests.Hotwords;

/// <summary>Every protocol reads a hotword the same way: a lone <c>kilo 30</c> is one word weighing 30.</summary>
public sealed class HotwordProtocolsTests
{
    private static readonly Dictionary<string, int> Kilo30 = new() { ["kilo"] = 30 };

    [Fact]
    public void NativeQuery_KiloThirty_OneWordAndItsWeight()
    {
        var settings = NativeSettingsParser.FromQuery([new("hotwords", "kilo 30")]).Settings!;

        Assert.Equal(Kilo30, settings.Hotwords);
    }

    [Theory]
    [InlineData("""{"type":"start","hotwords":"kilo 30"}""")]
    [InlineData("""{"type":"start","hotwords":"kilo:30"}""")]
    [InlineData("""{"type":"start","hotwords":{"kilo":30}}""")]
    public void NativeStart_TextOrObject_OneWordAndItsWeight(string start)
    {
        using var doc = JsonDocument.Parse(start);

        Assert.Equal(Kilo30, NativeSettingsParser.FromJson(doc.RootElement, StreamSettings.Default).Settings!.Hotwords);
    }

    [Fact]
    public void FunAsrConfig_PlainString_OneWordAndItsWeight()
    {
        var (config, error) = FunAsrClientConfigParser.Parse(Rendered.Utf8("""{"hotwords":"kilo 30"}"""));

        Assert.Null(error);
        Assert.Equal(Kilo30, config!.Hotwords);
    }

    [Fact]
    public void WhisperLiveOptions_HotwordsText_OneWordAndItsWeight()
    {
        var start = WhisperLiveOptionsParser.Parse(
            Rendered.Utf8("""{"uid":"u1","language":"en","task":"transcribe","model":"small","use_vad":true,"hotwords":"kilo 30"}"""),
            StreamSettings.Default,
            "en");

        Assert.Null(start.Result.Error);
        Assert.Equal(Kilo30, start.Result.Settings!.Hotwords);
    }

    [Fact]
    public void EveryProtocol_WordWithoutWeight_SameDefaultWeight()
    {
        var native = NativeSettingsParser.FromQuery([new("hotwords", "kilo")]).Settings!.Hotwords["kilo"];
        var funAsr = FunAsrClientConfigParser.Parse(Rendered.Utf8("""{"hotwords":"kilo"}""")).Config!.Hotwords!["kilo"];
        var whisperLive = WhisperLiveOptionsParser.Parse(
            Rendered.Utf8("""{"uid":"u1","language":"en","task":"transcribe","model":"small","use_vad":true,"hotwords":"kilo"}"""),
            StreamSettings.Default,
            "en").Result.Settings!.Hotwords["kilo"];

        Assert.Equal([20, 20, 20], new[] { native, funAsr, whisperLive });
    }
}
