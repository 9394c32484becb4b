using Gateway.Core.Results;

namespace Gateway.UnitTests.Results;

/// <summary>The joining rule seen through the result assembler (the rule itself: Gateway.Upstream.Tests/Replies/TextJoinTests).</summary>
public sealed class ResultAssemblerTextTests
{
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
