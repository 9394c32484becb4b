using System.Text.Json;
using Gateway.Core.Audio;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Protocols;

public sealed class NativeSettingsParserTests
{
    [Fact]
    public void FromJson_OverridesQuerySettings()
    {
        var query = NativeSettingsParser.FromQuery([new("sample_rate", "48000"), new("encoding", "f32le"), new("hotwords", "a, b,a")]).Settings!;

        var result = NativeSettingsParser.FromJson(Parse("""{"type":"start","channels":2,"hotwords":{"gateway":50}}"""), query);

        Assert.Null(result.Error);
        Assert.Equal(new AudioFormat(AudioEncoding.F32Le, 48_000, 2), result.Settings!.Format);
        Assert.Equal(50, result.Settings.Hotwords["gateway"]);
        Assert.Equal(2, query.Hotwords.Count);
    }

    [Theory]
    [InlineData("""{"channels":3}""", ErrorCodes.UnsupportedChannels)]
    [InlineData("""{"channels":"2"}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"encoding":16}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"interim_results":"yes"}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"hotwords":{"x":"lots"}}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"hotwords":[1]}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"samplerate":16000}""", ErrorCodes.InvalidConfig)]
    public void FromJson_BadValue_ReportsTheField(string json, string code)
    {
        var result = NativeSettingsParser.FromJson(Parse(json), StreamSettings.Default);

        Assert.Null(result.Settings);
        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public void ParseStart_NotAnObject_IsInvalidConfig()
    {
        var result = NativeProtocol.Instance.ParseStart("[1,2]"u8, StreamSettings.Default);

        Assert.Equal("a control message must be a JSON object (got array)", result.Error!.Message);
    }

    [Fact]
    public void ParseControl_PlainText_IsUnexpectedText()
    {
        var result = NativeProtocol.Instance.ParseControl("hello"u8);

        Assert.Equal(ErrorCodes.UnexpectedText, result.Error!.Code);
        Assert.Equal(CloseCodes.UnsupportedData, result.Error.CloseCode);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
