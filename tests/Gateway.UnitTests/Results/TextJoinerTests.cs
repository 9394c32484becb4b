using System.Text;
using Gateway.Core.Results;

namespace Gateway.UnitTests.Results;

public sealed class TextJoinerTests
{
    [Theory]
    [InlineData("今天", "天气很好", "今天天气很好")]
    [InlineData("今天。", "天气", "今天。天气")]
    [InlineData("こんにちは", "世界", "こんにちは世界")]
    [InlineData("ＡＢ", "ＣＤ", "ＡＢＣＤ")]
    [InlineData("hello", "world", "hello world")]
    [InlineData("hello.", "world", "hello. world")]
    [InlineData("안녕하세요", "반갑습니다", "안녕하세요 반갑습니다")]
    [InlineData("我们用", "python", "我们用 python")]
    [InlineData("python", "写代码", "python 写代码")]
    [InlineData("", "  first  ", "first")]
    [InlineData("kept", "   ", "kept")]
    public void Append_TwoFragments_SpaceUnlessBothSidesCjk(string text, string next, string expected)
    {
        var builder = new StringBuilder(text);

        TextJoiner.Append(builder, next);

        Assert.Equal(expected, builder.ToString());
    }

    [Fact]
    public void Final_CjkSentencesAndTrailingDelta_JoinedWithoutSpaces()
    {
        var assembler = new ResultAssembler(segmentStart: 0);
        assembler.AddSentence("今天天气很好。", 0, 1000, segmentEnd: 48_000);
        assembler.AddSentence("我们去公园", 1000, 2000, segmentEnd: 48_000);
        assembler.AddDelta("吧");

        Assert.Equal("今天天气很好。我们去公园吧", assembler.Final(1, 48_000).Text);
    }

    [Fact]
    public void Final_LatinSentences_JoinedWithOneSpace()
    {
        var assembler = new ResultAssembler(segmentStart: 0);
        assembler.AddSentence("hello world.", 0, 1000, segmentEnd: 48_000);
        assembler.AddSentence("how are you", 1000, 2000, segmentEnd: 48_000);

        Assert.Equal("hello world. how are you", assembler.Final(1, 48_000).Text);
    }
}
