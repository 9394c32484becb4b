using FunAsr.Simulator.Json;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class ReplyJsonTests
{
    private static Reply Sample() => new Reply()
        .Add("wav_name", "a\"b\\c\u0001\n今天")
        .Add("is_final", true)
        .Add("index", 3)
        .Add("spk_score", 0.0)
        .Add("timestamp", new List<int[]> { new[] { 120, 360 }, new[] { 400, 500 } })
        .Add("stamp", new Reply().Add("z", 1).Add("a", "x"));

    [Fact]
    public void ToJson_CompactSorted_NlohmannStyleRawUtf8()
    {
        Assert.Equal(
            """{"index":3,"is_final":true,"spk_score":0.0,"stamp":{"a":"x","z":1},"timestamp":[[120,360],[400,500]],"wav_name":"a\"b\\c\u0001\n今天"}""",
            Sample().ToJson(JsonStyle.CompactSorted));
    }

    [Fact]
    public void ToJson_Python_InsertionOrderWithSpaces()
    {
        Assert.Equal(
            """{"wav_name": "a\"b\\c\u0001\n今天", "is_final": true, "index": 3, "spk_score": 0.0, "timestamp": [[120, 360], [400, 500]], "stamp": {"z": 1, "a": "x"}}""",
            Sample().ToJson(JsonStyle.Python));
    }
}
