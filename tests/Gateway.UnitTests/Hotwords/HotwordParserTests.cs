using System.Text.Json;
using Gateway.Core.Hotwords;

namespace Gateway.UnitTests.Hotwords;

public sealed class HotwordParserTests
{
    [Theory]
    [InlineData("kilo 30", "kilo=30")]
    [InlineData("kilo", "kilo=20")]
    [InlineData("alpha bravo", "alpha=20 bravo=20")]
    [InlineData("alpha 10 bravo", "alpha=10 bravo=20")]
    [InlineData("alpha bravo:40", "alpha=20 bravo=40")]
    [InlineData("kilo:5 30", "30=20 kilo=5")]
    [InlineData("阿里巴巴 达摩院", "达摩院=20 阿里巴巴=20")]
    [InlineData("阿里巴巴 20\n达摩院 30", "达摩院=30 阿里巴巴=20")]
    [InlineData("FunASR, gateway:40", "FunASR=20 gateway=40")]
    [InlineData("new york, big apple 50", "big apple=50 new york=20")]
    [InlineData("windows 11:20", "11=20 windows=20")]
    [InlineData("windows 11:20, x", "windows 11=20 x=20")]
    [InlineData("  ,, ", "")]
    [InlineData("", "")]
    public void ParseText_Forms_OneMeaning(string text, string expected)
    {
        Assert.Null(HotwordParser.ParseText(text, out var hotwords));

        Assert.Equal(expected, Render(hotwords));
    }

    [Theory]
    [InlineData("kilo 500", "hotword weight for \"kilo\" must be an integer from 1 to 100 (got 500)")]
    [InlineData("kilo:0", "hotword weight for \"kilo\" must be an integer from 1 to 100 (got 0)")]
    [InlineData("a, kilo 3.5", "hotword weight for \"kilo\" must be an integer from 1 to 100 (got 3.5)")]
    public void ParseText_BadWeight_Error(string text, string error)
    {
        Assert.Equal(error, HotwordParser.ParseText(text, out _));
    }

    [Theory]
    [InlineData("""{"kilo":30,"lima":"40"}""", "kilo=30 lima=40")]
    [InlineData("""["kilo 30","lima"]""", "kilo 30=20 lima=20")]
    [InlineData("\"{\\\"阿里巴巴\\\":20}\"", "阿里巴巴=20")]
    [InlineData("\"kilo 30\"", "kilo=30")]
    [InlineData("null", "")]
    public void ParseJson_Forms_OneMeaning(string json, string expected)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.Null(HotwordParser.ParseJson(doc.RootElement, out var hotwords));

        Assert.Equal(expected, Render(hotwords));
    }

    [Theory]
    [InlineData("""{"kilo":500}""", "hotword weight for \"kilo\" must be an integer from 1 to 100 (got 500)")]
    [InlineData("""{"kilo":true}""", "hotword weight for \"kilo\" must be an integer from 1 to 100 (got true)")]
    [InlineData("""["kilo",3]""", "hotwords must be non-empty strings (got 3)")]
    [InlineData("\"{not json\"", "hotwords looks like JSON but is not valid JSON")]
    [InlineData("7", "hotwords must be a string, an array of strings or an object of weights (got 7)")]
    public void ParseJson_Bad_Error(string json, string error)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.Equal(error, HotwordParser.ParseJson(doc.RootElement, out _));
    }

    private static string Render(Dictionary<string, int> hotwords) =>
        string.Join(' ', hotwords.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));
}
