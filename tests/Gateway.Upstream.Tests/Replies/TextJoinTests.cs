using System.Text;
using Gateway.Upstream.Replies;

namespace Gateway.Upstream.Tests.Replies;

public sealed class TextJoinTests
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

        TextJoin.Append(builder, next);

        Assert.Equal(expected, builder.ToString());
    }
}
